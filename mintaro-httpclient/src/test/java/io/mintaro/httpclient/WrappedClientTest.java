package io.mintaro.httpclient;

import io.mintaro.test.MintaroExtension;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every test of the wrapper starts from: test mode, a client wrapped with the test's SDK, a
 * test server.
 */
abstract class WrappedClientTest {
  @RegisterExtension
  final MintaroExtension mintaro;
  final TestHttpServer server;
  HttpClient http;

  WrappedClientTest(MintaroExtension mintaro) throws Exception {
    this.mintaro = mintaro;
    this.server = new TestHttpServer();
  }

  @BeforeEach
  void wrapClient() {
    http = MintaroHttpClient.wrap(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        mintaro.sdk());
  }

  @AfterEach
  void cleanUp() {
    server.close();
  }
}
