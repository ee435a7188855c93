/** The Mintaro appender for Log4j2: every line inside a trace, into that trace's recorder. */
@SuppressWarnings("module") // the name is io.mintaro.<library>, digits and all
module io.mintaro.log4j2 {
  requires io.mintaro;
  requires org.apache.logging.log4j;
  requires transitive org.apache.logging.log4j.core; // MintaroAppender is a Log4j appender

  exports io.mintaro.log4j2;

  provides org.apache.logging.log4j.core.util.ContextDataProvider
      with io.mintaro.log4j2.internal.TraceContextDataProvider;
}
