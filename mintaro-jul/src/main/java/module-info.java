/** The Mintaro handler for java.util.logging: every record inside a trace, into that trace's recorder. */
module io.mintaro.jul {
  requires io.mintaro;
  requires transitive java.logging; // MintaroHandler is a java.util.logging.Handler

  exports io.mintaro.jul;
}
