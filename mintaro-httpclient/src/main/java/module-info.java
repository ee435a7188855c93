/** Mintaro for the JDK's HttpClient: carries the trace to the services it calls and records every call. */
module io.mintaro.httpclient {
  // Transitive: HttpClient and MintaroSdk are in this module's API.
  requires transitive io.mintaro;
  requires transitive java.net.http;

  exports io.mintaro.httpclient;
}
