/** Mintaro for OkHttp: trace propagation and call recording. */
module io.mintaro.okhttp {
  requires transitive io.mintaro;
  requires transitive okhttp3; // an automatic module: OkHttp names it in its manifest
  requires okio;
  requires kotlin.stdlib;

  exports io.mintaro.okhttp;
}
