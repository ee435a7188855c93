/** Mintaro for Apache HttpClient 5, classic and async: trace propagation and exchange recording. */
module io.mintaro.apache.httpclient {
  requires transitive io.mintaro;
  requires transitive org.apache.httpcomponents.client5.httpclient5; // automatic modules, named
  requires transitive org.apache.httpcomponents.core5.httpcore5;     // in their manifests

  exports io.mintaro.apache.httpclient;
}
