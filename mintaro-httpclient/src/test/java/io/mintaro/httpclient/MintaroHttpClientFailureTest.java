package io.mintaro.httpclient;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A call that gets no response is recorded with why (status 0 and the error), a failed client
 * span, and a breadcrumb naming the authority that was called, so the collector can still find
 * the silent callee. The caller still gets its exception, exactly as without Mintaro.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroHttpClientFailureTest extends WrappedClientTest {

  MintaroHttpClientFailureTest() throws Exception {
    super(MintaroSdk.builder().service("orders").build());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aTimeoutIsRecordedAndStillReachesTheCaller(Call call) throws Exception {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
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
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
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
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
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
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      response = call.call(http, HttpRequest.newBuilder(server.uri("/fail")).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"error\":\"card declined\"}");
    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    Map<String, Object> clientSpan = span(trace, "GET /fail");
    assertThat(clientSpan).containsEntry("status", "failed");
    assertThat(map(clientSpan.get("error"))).containsEntry("type", "HTTP 500");
    assertThat(list(trace, "messages")).singleElement().satisfies(message -> assertThat(message)
        .containsEntry("status", 500L).containsEntry("error", null)
        .containsEntry("responseBody", "{\"error\":\"card declined\"}"));
    assertThat(list(trace, "breadcrumbs")).singleElement().satisfies(crumb -> assertThat(crumb)
        .containsEntry("agentId", TestHttpServer.CALLEE_AGENT));
  }

  private void assertNoResponseRecorded(String traceId, String method, URI uri, String authority, String errorType,
      String errorTextPrefix) {
    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    Map<String, Object> clientSpan = span(trace, method + " " + uri.getRawPath());
    assertThat(clientSpan.get("attributes")).asString().contains("server.address=" + authority);
    assertThat(clientSpan).containsEntry("kind", "client").containsEntry("status", "failed");
    assertThat(map(clientSpan.get("error"))).containsEntry("type", errorType);
    assertThat((String) map(clientSpan.get("error")).get("stack")).startsWith(errorType);
    assertThat(list(trace, "messages")).singleElement().satisfies(message -> {
      assertThat(message).containsEntry("direction", "outbound").containsEntry("method", method)
          .containsEntry("url", uri.toString()).containsEntry("status", 0L)
          .containsEntry("spanId", clientSpan.get("spanId"));
      assertThat((String) message.get("error")).startsWith(errorTextPrefix);
    });
    assertThat(list(trace, "breadcrumbs")).singleElement().satisfies(crumb -> assertThat(crumb)
        .containsEntry("role", "callee").containsEntry("agentId", null).containsEntry("authority", authority)
        .containsEntry("spanId", clientSpan.get("spanId")));
  }

  /** A loopback port nothing listens on (just released by the OS). */
  private static int unusedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
