/** Mintaro's Jakarta Servlet filter: records every request the application serves. */
module io.mintaro.servlet {
  // Transitive: MintaroSdk and the servlet types are in this module's API. Not static: the filter
  // is nothing without the servlet API, so a module path without it should fail at start-up.
  requires transitive io.mintaro;
  requires transitive jakarta.servlet;

  exports io.mintaro.servlet;
}
