package io.mintaro.http;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import io.mintaro.internal.agent.RingDump;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A server exchange continues the caller's trace or starts one, and records the inbound exchange. */
class ServerExchangeTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE + "-" + PARENT + "-01";

  private final MintaroSdk sdk = MintaroSdk.builder().service("orders").maxBodySize(1024).build();

  @AfterEach
  void cleanUp() {
    TestSdks.clearContext();
    sdk.close();
  }

  @Test
  void aValidTraceparentIsContinued() {
    ServerExchange exchange = ServerExchange.start(sdk, "get", "http://h/orders/7", "/orders/7",
        headers("traceparent", TRACEPARENT));
    assertThat(exchange.traceId()).isEqualTo(TRACE);
    assertThat(Mintaro.traceId()).as("current while the request is served").isEqualTo(TRACE);
    exchange.status(200);
    exchange.close();

    assertThat(Mintaro.traceId()).as("the thread is clean afterwards").isNull();
    Map<String, Object> span = span(RingDump.trace(sdk, TRACE), "GET /orders/7");
    assertThat(span).containsEntry("parentSpanId", PARENT).containsEntry("kind", "server")
        .containsEntry("status", "succeeded");
    assertThat(map(span.get("attributes"))).containsEntry("http.status_code", "200");
  }

  @Test
  void theTracestateOfAContinuedTraceIsPassedOnDownstream() {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/",
        headers("traceparent", TRACEPARENT, "tracestate", "rojo=00f067aa0ba902b7"));
    Map<String, String> sent = new TreeMap<>();
    try (ClientExchange call = ClientExchange.start(sdk, "GET", java.net.URI.create("http://down/"))) {
      call.propagationHeaders(sent::put);
    }
    exchange.close();

    assertThat(sent).containsEntry("tracestate", "mintaro=" + sdk.agentId() + ",rojo=00f067aa0ba902b7");
    assertThat(sent.get("traceparent")).startsWith("00-" + TRACE + "-");
  }

  @Test
  void aMalformedTraceparentStartsANewTrace() {
    String malformed = "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01";
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/",
        headers("traceparent", malformed, "tracestate", "rojo=1"));
    exchange.close();

    assertThat(exchange.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
    Map<String, Object> span = span(RingDump.trace(sdk, exchange.traceId()), "GET /");
    assertThat(span).containsEntry("parentSpanId", null);
    assertThat(list(RingDump.trace(sdk, TRACE), "spans")).isEmpty();
  }

  @Test
  void aHandSetMintaroTraceIsContinuedWhenThereIsNoValidTraceparent() {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/",
        headers("X-Mintaro-Trace", TRACE.toUpperCase(), "traceparent", "garbage"));
    exchange.close();

    assertThat(exchange.traceId()).isEqualTo(TRACE);
    assertThat(span(RingDump.trace(sdk, TRACE), "GET /")).containsEntry("parentSpanId", null);
  }

  @Test
  void traceparentWinsOverMintaroTraceWhenBothAreValid() {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/",
        headers("traceparent", TRACEPARENT, "X-Mintaro-Trace", "11111111111111111111111111111111"));
    exchange.close();

    assertThat(exchange.traceId()).isEqualTo(TRACE);
  }

  @Test
  void theInboundExchangeIsRecordedWithSecretsRedacted() {
    ServerExchange exchange = ServerExchange.start(sdk, "POST", "http://h:8083/login?user=ann&password=hunter2",
        "/login", headers("traceparent", TRACEPARENT));
    exchange.requestHeader("Content-Type", "application/json");
    exchange.requestHeader("Authorization", "Bearer secret-token");
    exchange.requestHeader("Cookie", "session=abc");
    byte[] request = "{\"user\":\"ann\",\"password\":\"hunter2\"}".getBytes(StandardCharsets.UTF_8);
    exchange.requestBody().write(request, 0, request.length);
    exchange.responseHeader("Content-Type", "application/json");
    exchange.responseHeader("Set-Cookie", "session=def");
    byte[] response = "{\"ok\":true,\"token\":\"t-123\"}".getBytes(StandardCharsets.UTF_8);
    exchange.responseBody().write(response, 0, response.length);
    exchange.status(201);
    exchange.close();

    Map<String, Object> message = list(RingDump.trace(sdk, TRACE), "messages").get(0);
    assertThat(message).containsEntry("direction", "inbound").containsEntry("method", "POST")
        .containsEntry("url", "http://h:8083/login?user=ann&password=%5BREDACTED%5D").containsEntry("status", 201L)
        .containsEntry("requestHeaders", List.of(List.of("content-type", "application/json"),
            List.of("authorization", "[REDACTED]"), List.of("cookie", "[REDACTED]")))
        .containsEntry("responseHeaders", List.of(List.of("content-type", "application/json"),
            List.of("set-cookie", "[REDACTED]")))
        .containsEntry("requestBody", "{\"user\":\"ann\",\"password\":\"[REDACTED]\"}")
        .containsEntry("responseBody", "{\"ok\":true,\"token\":\"[REDACTED]\"}")
        .containsEntry("requestBodyTruncated", false);
    assertThat(message.toString()).doesNotContain("hunter2", "secret-token", "session=", "t-123");
    assertThat(message.get("spanId")).isEqualTo(span(RingDump.trace(sdk, TRACE), "POST /login").get("spanId"));
  }

  @Test
  void bodiesAreKeptUpToTheLimitAndCountedWhole() {
    ServerExchange exchange = ServerExchange.start(sdk, "PUT", "http://h/blob", "/blob", name -> null);
    byte[] chunk = "0123456789".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 300; i++) {
      exchange.requestBody().write(chunk, 0, chunk.length);
    }
    exchange.responseBody().write('A');
    exchange.responseBody().write(java.nio.ByteBuffer.wrap(chunk));
    exchange.close();

    Map<String, Object> message = list(RingDump.trace(sdk, exchange.traceId()), "messages").get(0);
    assertThat((String) message.get("requestBody")).hasSize(1024).startsWith("0123456789");
    assertThat(message).containsEntry("requestBodySize", 3000L).containsEntry("requestBodyTruncated", true)
        .containsEntry("responseBody", "A0123456789").containsEntry("responseBodySize", 11L);
  }

  @Test
  void aServerErrorFailsTheSpan() {
    ServerExchange exchange = ServerExchange.start(sdk, "POST", "http://h/pay", "/pay", name -> null);
    exchange.status(503);
    exchange.close();

    Map<String, Object> span = span(RingDump.trace(sdk, exchange.traceId()), "POST /pay");
    assertThat(span).containsEntry("status", "failed");
    assertThat(map(span.get("error"))).containsEntry("type", "HTTP 503");
  }

  @Test
  void anEscapingExceptionFailsTheSpanWithIt() {
    ServerExchange exchange = ServerExchange.start(sdk, "POST", "http://h/pay", "/pay", name -> null);
    exchange.fail(new IllegalStateException("card declined"));
    exchange.status(500);
    exchange.close();

    Map<String, Object> span = span(RingDump.trace(sdk, exchange.traceId()), "POST /pay");
    assertThat(map(span.get("error"))).containsEntry("type", "java.lang.IllegalStateException")
        .containsEntry("message", "card declined");
  }

  @Test
  void theCallerIsRecordedAsABreadcrumbWhenItsIdIsValid() {
    ServerExchange good = ServerExchange.start(sdk, "GET", "http://h/", "/",
        headers("traceparent", TRACEPARENT, "X-Mintaro-Caller", "3f2a9c0d11b4e7a1"));
    good.close();
    ServerExchange bad = ServerExchange.start(sdk, "GET", "http://h/", "/",
        headers("X-Mintaro-Caller", "not-an-agent\r\nx: y"));
    bad.close();

    assertThat(list(RingDump.trace(sdk, TRACE), "breadcrumbs")).singleElement().satisfies(b -> assertThat(b)
        .containsEntry("role", "caller").containsEntry("agentId", "3f2a9c0d11b4e7a1"));
    assertThat(list(RingDump.trace(sdk, bad.traceId()), "breadcrumbs")).isEmpty();
  }

  @Test
  void theRouteNamesTheSpanAttribute() {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/orders/7", "/orders/7", name -> null);
    exchange.route("/orders/{id}");
    exchange.close();

    assertThat(map(span(RingDump.trace(sdk, exchange.traceId()), "GET /orders/7").get("attributes")))
        .containsEntry("http.route", "/orders/{id}");
  }

  @Test
  void theCalleeHeaderNamesThisProcess() {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/", name -> null);
    exchange.close();

    assertThat(ServerExchange.CALLEE_HEADER).isEqualTo("X-Mintaro-Callee");
    assertThat(exchange.agentId()).isEqualTo(sdk.agentId()).matches("[0-9a-f]{16}");
  }

  @Test
  void theContextOfTheThreadBeforeTheRequestIsRestored() {
    MintaroSdk other = TestSdks.local();
    try (var outer = TestSdks.root(other, "outer")) {
      ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h/", "/", name -> null);
      assertThat(Mintaro.traceId()).isEqualTo(exchange.traceId()).isNotEqualTo(outer.traceId());
      exchange.close();
      assertThat(Mintaro.traceId()).isEqualTo(outer.traceId());
    }
  }

  /** Request headers, looked up ignoring case as servlet containers do. */
  static UnaryOperator<String> headers(String... namesAndValues) {
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map::get;
  }
}
