package io.mintaro.http;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.LocalSdkTest;
import io.mintaro.Mintaro;
import io.mintaro.TestSdks;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An outbound call: a client span, the headers that carry the trace, and the exchange and breadcrumb. */
class ClientExchangeTest extends LocalSdkTest {
  @Test
  void propagationHeadersCarryTheTraceTheClientSpanAndTheCaller() {
    Map<String, String> sent = new LinkedHashMap<>();
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      try (ClientExchange call = ClientExchange.start(sdk, "post", URI.create("http://payments:8083/charge"))) {
        call.propagationHeaders(sent::put);
        assertThat(call.traceId()).isEqualTo(traceId);
        assertThat(Core.current()).as("the client span does not become current").isSameAs(root.context());
        call.status(200);
      }
    }

    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    Map<String, Object> clientSpan = RingDump.span(trace, "POST /charge");
    assertThat(clientSpan).containsEntry("kind", "client")
        .containsEntry("parentSpanId", RingDump.span(trace, "root").get("spanId"));
    assertThat(clientSpan.get("attributes")).asString().contains("server.address=payments:8083");
    assertThat(sent).containsOnlyKeys("traceparent", "tracestate", "X-Mintaro-Trace", "X-Mintaro-Caller")
        .containsEntry("traceparent", "00-" + traceId + "-" + clientSpan.get("spanId") + "-03")
        .containsEntry("tracestate", "mintaro=" + sdk.agentId())
        .containsEntry("X-Mintaro-Trace", traceId)
        .containsEntry("X-Mintaro-Caller", sdk.agentId());
  }

  @Test
  void outsideAnyTraceACallStartsANewTrace() {
    Map<String, String> sent = new LinkedHashMap<>();
    ClientExchange call = ClientExchange.start(sdk, "GET", URI.create("https://api.example.com/x"));
    call.propagationHeaders(sent::put);
    call.close();

    assertThat(call.traceId()).matches("[0-9a-f]{32}");
    assertThat(Mintaro.traceId()).isNull();
    Map<String, Object> span = RingDump.span(RingDump.trace(sdk, call.traceId()), "GET /x");
    assertThat(span).containsEntry("parentSpanId", null);
    assertThat(sent.get("traceparent")).isEqualTo("00-" + call.traceId() + "-" + span.get("spanId") + "-03"); // sampled, random ids
  }

  @Test
  void theExchangeAndTheCalleeBreadcrumbAreRecordedOnClose() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      ClientExchange call = ClientExchange.start(sdk, "POST", URI.create("http://Payments:8083/charge?token=abc"));
      call.requestHeader("Authorization", "Basic dXNlcjpwYXNz");
      call.requestHeader("Content-Type", "application/json");
      byte[] body = "{\"card\":\"4242\",\"secret\":\"cvc\"}".getBytes(StandardCharsets.UTF_8);
      call.requestBody().write(body, 0, body.length);
      call.responseHeader("X-Mintaro-Callee", "9c1d2e3f4a5b6c7d");
      call.status(200);
      call.close();
    }

    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    Map<String, Object> message = list(trace, "messages").get(0);
    assertThat(message).containsEntry("direction", "outbound").containsEntry("status", 200L)
        .containsEntry("url", "http://Payments:8083/charge?token=%5BREDACTED%5D")
        .containsEntry("requestBody", "{\"card\":\"4242\",\"secret\":\"[REDACTED]\"}");
    assertThat(message.get("requestHeaders")).isEqualTo(List.of(List.of("authorization", "[REDACTED]"),
        List.of("content-type", "application/json")));
    assertThat(message.get("responseHeaders")).isEqualTo(List.of(List.of("x-mintaro-callee", "9c1d2e3f4a5b6c7d")));
    assertThat(list(trace, "breadcrumbs")).singleElement().satisfies(b -> assertThat(b)
        .containsEntry("role", "callee").containsEntry("agentId", "9c1d2e3f4a5b6c7d")
        .containsEntry("authority", "payments:8083").containsEntry("spanId", message.get("spanId")));
  }

  @Test
  void aCallWithoutAResponseRecordsWhy() {
    ClientExchange call = ClientExchange.start(sdk, "GET", URI.create("http://slow:9000/"));
    call.fail(new HttpTimeoutException("request timed out"));
    call.close();

    Map<String, Object> trace = RingDump.trace(sdk, call.traceId());
    assertThat(list(trace, "messages").get(0)).containsEntry("status", 0L)
        .containsEntry("error", "java.net.http.HttpTimeoutException: request timed out");
    assertThat(list(trace, "breadcrumbs").get(0)).containsEntry("agentId", null).containsEntry("authority", "slow:9000");
    Map<String, Object> span = RingDump.span(trace, "GET /");
    assertThat(span).containsEntry("status", "failed");
    assertThat(map(span.get("error"))).containsEntry("type", "java.net.http.HttpTimeoutException");
  }

  @Test
  void aServerErrorFromTheCalleeFailsTheClientSpan() {
    ClientExchange call = ClientExchange.start(sdk, "GET", URI.create("http://down:80/"));
    call.status(502);
    call.close();

    Map<String, Object> span = RingDump.span(RingDump.trace(sdk, call.traceId()), "GET /");
    assertThat(span).containsEntry("status", "failed");
    assertThat(map(span.get("error"))).containsEntry("type", "HTTP 502");
  }

  @Test
  void anInvalidCalleeIdIsNotRecorded() {
    ClientExchange call = ClientExchange.start(sdk, "GET", URI.create("http://h/"));
    call.responseHeader("x-mintaro-callee", "<script>");
    call.close();

    assertThat(list(RingDump.trace(sdk, call.traceId()), "breadcrumbs").get(0)).containsEntry("agentId", null);
  }

  @Test
  void authoritiesAreLowerCasedWithTheDefaultPortFilledIn() {
    assertThat(ClientExchange.authorityOf(URI.create("HTTPS://Example.COM/x"))).isEqualTo("example.com:443");
    assertThat(ClientExchange.authorityOf(URI.create("http://example.com"))).isEqualTo("example.com:80");
    assertThat(ClientExchange.authorityOf(URI.create("http://127.0.0.1:8082/a"))).isEqualTo("127.0.0.1:8082");
    assertThat(ClientExchange.authorityOf(URI.create("http://[::1]:8080/"))).isEqualTo("[::1]:8080");
    assertThat(ClientExchange.authorityOf(URI.create("/relative"))).isNull();
    assertThat(ClientExchange.authorityOf(null)).isNull();
  }
}
