package io.mintaro.httpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedBreadcrumb;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A call that gets no response is recorded with why (status 0 and the error), a failed client
 * span, and a breadcrumb naming the authority that was called, so the collector can still find
 * the silent callee. The caller still gets its exception, exactly as without Mintaro. The
 * contract ({@link MintaroHttpClientContractTest}) asks for this through {@code send}; this class
 * pins down what exactly is recorded, through {@code sendAsync} as well.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroHttpClientFailureTest extends WrappedClientTest {

  MintaroHttpClientFailureTest() throws Exception {
    super(new MintaroExtension());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aTimeoutIsRecordedAndStillReachesTheCaller(Call call) throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      assertThatThrownBy(() -> call.call(http, HttpRequest.newBuilder(server.uri("/hang"))
          .timeout(Duration.ofMillis(300)).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(HttpTimeoutException.class);
    }

    assertNoResponseRecorded(traceId, "GET", server.uri("/hang"), server.authority(),
        "java.net.http.HttpTimeoutException", "java.net.http.HttpTimeoutException: request timed out");
  }

  @Test
  void sendAsyncFailsItsFutureWithTheTimeout() throws Exception {
    try (Span root = Mintaro.startSpan("checkout")) {
      var future = http.sendAsync(HttpRequest.newBuilder(server.uri("/hang")).timeout(Duration.ofMillis(300)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(HttpTimeoutException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aRefusedConnectionIsRecordedAndStillReachesTheCaller(Call call) throws Exception {
    URI nobody = URI.create("http://127.0.0.1:" + unusedPort() + "/charge");
    String traceId;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      assertThatThrownBy(() -> call.call(http, HttpRequest.newBuilder(nobody)
          .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":12}")).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(ConnectException.class);
    }

    assertNoResponseRecorded(traceId, "POST", nobody, nobody.getAuthority(), "java.net.ConnectException",
        "java.net.ConnectException");
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aServerErrorIsReturnedAsUsualAndFailsTheClientSpan(Call call) throws Exception {
    String traceId;
    HttpResponse<String> response;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      response = call.call(http, HttpRequest.newBuilder(server.uri("/fail")).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":\"card declined\"}");
    RecordedTrace trace = mintaro.trace(traceId);
    RecordedSpan clientSpan = trace.span("GET /fail");
    assertThat(clientSpan.status()).isEqualTo("failed");
    assertThat(clientSpan.error().type()).isEqualTo("HTTP 500");
    assertThat(trace.exchanges()).singleElement().satisfies(message -> {
      assertThat(message.status()).isEqualTo(500);
      assertThat(message.error()).isNull();
      assertThat(message.responseBody()).isEqualTo("{\"error\":\"card declined\"}");
    });
    assertThat(trace.breadcrumbs()).extracting(RecordedBreadcrumb::agentId)
        .containsExactly(TestHttpServer.CALLEE_AGENT);
  }

  private void assertNoResponseRecorded(String traceId, String method, URI uri, String authority, String errorType,
      String errorTextPrefix) {
    RecordedTrace trace = mintaro.trace(traceId);
    RecordedSpan clientSpan = trace.span(method + " " + uri.getRawPath());
    assertThat(clientSpan.attribute("server.address")).isEqualTo(authority);
    assertThat(clientSpan.kind()).isEqualTo("client");
    assertThat(clientSpan.status()).isEqualTo("failed");
    assertThat(clientSpan.error().type()).isEqualTo(errorType);
    assertThat(clientSpan.error().stack()).startsWith(errorType);
    assertThat(trace.exchanges()).singleElement().satisfies(message -> {
      assertThat(message.direction()).isEqualTo("outbound");
      assertThat(message.method()).isEqualTo(method);
      assertThat(message.url()).isEqualTo(uri.toString());
      assertThat(message.status()).isZero();
      assertThat(message.spanId()).isEqualTo(clientSpan.spanId());
      assertThat(message.error()).startsWith(errorTextPrefix);
    });
    assertThat(trace.breadcrumbs()).containsExactly(
        new RecordedBreadcrumb(clientSpan.spanId(), "callee", null, authority));
  }

  /** A loopback port nothing listens on (just released by the OS). */
  private static int unusedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
