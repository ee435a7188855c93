package io.mintaro.bridge;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.internal.Core;
import io.mintaro.internal.agent.RingDump;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a bridge from another tracer records: its spans under its own ids, its logs, and triggers. */
class TracerBridgeTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String ROOT = "00f067aa0ba902b7";
  private static final String CHILD = "a1b2c3d4e5f60718";
  private static final long T0 = 1_763_700_000_000_000_000L; // epoch nanos

  private final MintaroSdk sdk = MintaroSdk.builder().service("svc").slowThreshold(Duration.ofMillis(500)).build();
  private final TracerBridge bridge = TracerBridge.of(sdk);
  private final List<String> triggers = new ArrayList<>();

  {
    Core.of(sdk).triggerListener((traceId, kind, reason) -> triggers.add(traceId + " " + kind + " " + reason));
  }

  @AfterEach
  void close() {
    sdk.close();
  }

  @Test
  void aSpanIsRecordedUnderTheIdsItWasGiven() {
    bridge.span(TRACE, CHILD, ROOT, Span.Kind.CLIENT, "GET stock", T0 + 1_000_000)
        .attribute("server.address", "stock").attribute("server.port", 8080L).attribute("retry", false)
        .attribute("ratio", 0.5)
        .end(T0 + 3_000_000);
    bridge.span(TRACE, ROOT, null, Span.Kind.SERVER, "POST /checkout", T0).end(T0 + 10_000_000);

    Map<String, Object> trace = RingDump.trace(sdk, TRACE);

    assertThat(span(trace, "POST /checkout")).containsEntry("spanId", ROOT).containsEntry("parentSpanId", null)
        .containsEntry("kind", "server").containsEntry("status", "succeeded")
        .containsEntry("startUs", T0 / 1000).containsEntry("endUs", T0 / 1000 + 10_000);
    assertThat(span(trace, "GET stock")).containsEntry("parentSpanId", ROOT).containsEntry("kind", "client")
        .containsEntry("attributes", Map.of("server.address", "stock", "server.port", "8080", "retry", "false",
            "ratio", "0.5"));
    assertThat(triggers).isEmpty();
  }

  @Test
  void eventsErrorsAndTheExchangeAreKeptWithTheSpan() {
    bridge.span(TRACE, ROOT, null, Span.Kind.SERVER, "GET /pay", T0)
        .event("cache miss", T0 + 2_000, Map.of("key", "user:42"))
        .recordError("java.io.IOException", "retried", "stack")
        .exchange("GET", "http://pay:8080/pay?token=s3cret&x=1", 200, null)
        .requestHeaders("Authorization", "Bearer abc", "Accept", "*/*")
        .end(T0 + 5_000_000);

    Map<String, Object> trace = RingDump.trace(sdk, TRACE);
    Map<String, Object> span = span(trace, "GET /pay");

    assertThat(list(span, "events")).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("timeUs", T0 / 1000 + 2).containsEntry("name", "cache miss")
        .containsEntry("attributes", Map.of("key", "user:42")));
    assertThat(list(span, "handledErrors")).singleElement().satisfies(e -> assertThat(e)
        .containsEntry("type", "java.io.IOException"));
    assertThat(list(trace, "messages")).singleElement().satisfies(m -> {
      assertThat(m).containsEntry("spanId", ROOT).containsEntry("direction", "inbound").containsEntry("method", "GET")
          .containsEntry("status", 200L).containsEntry("durationUs", 5_000L);
      assertThat((String) m.get("url")).contains("x=1").doesNotContain("s3cret");
      assertThat(m.get("requestHeaders")).isEqualTo(List.of(List.of("authorization", "[REDACTED]"), List.of("accept", "*/*")));
    });
  }

  @Test
  void anAttributeNamedLikeASecretIsMasked() {
    bridge.span(TRACE, ROOT, null, Span.Kind.INTERNAL, "login", T0).attribute("user.password", "hunter2").end(T0 + 1);

    assertThat(span(RingDump.trace(sdk, TRACE), "login")).containsEntry("attributes", Map.of("user.password", "[REDACTED]"));
  }

  @Test
  void aFailedSpanTriggersItsTrace() {
    bridge.span(TRACE, ROOT, null, Span.Kind.INTERNAL, "charge", T0)
        .fail("java.lang.IllegalStateException", "card declined", "stack").end(T0 + 1_000);

    assertThat(span(RingDump.trace(sdk, TRACE), "charge")).containsEntry("status", "failed");
    assertThat(triggers).containsExactly(TRACE + " error failed span charge (java.lang.IllegalStateException: card declined)");
  }

  @Test
  void aServerSpanSlowerThanItsThresholdTriggersAsSlow() {
    bridge.span(TRACE, ROOT, null, Span.Kind.SERVER, "GET /report", T0)
        .exchange("GET", "http://h/report?q=1", 200, null).end(T0 + 600_000_000L);
    bridge.span(TRACE, CHILD, ROOT, Span.Kind.INTERNAL, "render", T0).end(T0 + 600_000_000L);

    assertThat(triggers).containsExactly(TRACE + " slow slow: GET /report took 600 ms (threshold 500 ms)");
  }

  @Test
  void anExplicitTriggerFiresWhenTheSpanEnds() {
    ForeignSpan span = bridge.span(TRACE, ROOT, null, Span.Kind.SERVER, "GET /", T0).trigger("exception on server span");
    assertThat(triggers).isEmpty();

    span.end(T0 + 1_000);

    assertThat(triggers).containsExactly(TRACE + " error exception on server span");
  }

  @Test
  void logsGoIntoTheirSpanAndAnErrorLineTriggers() {
    bridge.log(TRACE, CHILD, Level.DEBUG, "app.Stock", "main", T0 + 5_000, "checking", null, null, null);
    bridge.log(TRACE, CHILD, Level.ERROR, "app.Stock", "main", T0 + 6_000, "out of stock",
        "java.lang.IllegalStateException", "none left", "stack");

    List<Map<String, Object>> logs = list(RingDump.trace(sdk, TRACE), "logs");

    assertThat(logs).extracting(l -> l.get("message")).containsExactly("checking", "out of stock");
    assertThat(logs.get(0)).containsEntry("spanId", CHILD).containsEntry("level", "DEBUG")
        .containsEntry("timeUs", T0 / 1000 + 5).containsEntry("logger", "app.Stock");
    assertThat(triggers).containsExactly(TRACE + " error ERROR log: out of stock");
  }

  @Test
  void breadcrumbsNameTheCallerAndTheCallee() {
    bridge.calledBy(TRACE, ROOT, "3f2a9c0d11b4e7a1");
    bridge.calledBy(TRACE, ROOT, sdk.agentId()); // itself: not a caller
    bridge.calledBy(TRACE, ROOT, "not an agent id");
    bridge.span(TRACE, CHILD, ROOT, Span.Kind.CLIENT, "GET", T0).callee("Stock:8080", null).end(T0 + 1);

    assertThat(list(RingDump.trace(sdk, TRACE), "breadcrumbs"))
        .extracting(b -> b.get("role") + " " + b.get("agentId") + " " + b.get("authority") + " " + b.get("spanId"))
        .containsExactlyInAnyOrder("caller 3f2a9c0d11b4e7a1 null " + ROOT, "callee null stock:8080 " + CHILD);
  }

  @Test
  void invalidIdsRecordNothingAndNeverThrow() {
    bridge.span("not-a-trace", ROOT, null, Span.Kind.SERVER, "x", T0).fail("E", "m", "s").end(T0 + 1);
    bridge.span("00000000000000000000000000000000", ROOT, null, Span.Kind.SERVER, "x", T0).end(T0 + 1);
    bridge.span(TRACE, "zz", null, Span.Kind.SERVER, "x", T0).end(T0 + 1);
    bridge.span(null, null, null, null, null, T0).attribute(null, "v").event(null, 0, null).end(0);
    bridge.log(null, null, null, null, null, 0, null, null, null, null);
    bridge.calledBy(null, null, null);
    bridge.servedAuthority(null);

    assertThat(Core.of(sdk).recorder().traceIds()).isEmpty();
    assertThat(triggers).isEmpty();
  }
}
