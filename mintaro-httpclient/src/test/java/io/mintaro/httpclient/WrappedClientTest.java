package io.mintaro.httpclient;

import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** What every test of the wrapper starts from: an SDK, a client wrapped with it, a test server. */
abstract class WrappedClientTest {
  final MintaroSdk sdk;
  final HttpClient http;
  final TestHttpServer server;

  WrappedClientTest(MintaroSdk sdk) throws Exception {
    this.sdk = sdk;
    this.http = MintaroHttpClient.wrap(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), sdk);
    this.server = new TestHttpServer();
  }

  @AfterEach
  void cleanUp() {
    server.close();
    sdk.close();
    TestSdks.clearContext();
  }
}
