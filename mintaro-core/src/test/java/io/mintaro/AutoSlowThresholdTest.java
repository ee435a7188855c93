package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.bridge.TracerBridge;
import io.mintaro.http.ServerExchange;
import io.mintaro.internal.Core;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code MINTARO_SLOW_THRESHOLD=auto} end to end: server requests, through {@link ServerExchange},
 * and server spans of another tracer, through {@link TracerBridge}, each teach their route its
 * threshold and are judged against it.
 */
class AutoSlowThresholdTest {
  private static final long T0 = 1_763_700_000_000_000_000L; // epoch nanos

  /** Kind and reason of each trigger, and the trace it named. */
  private final List<String> triggers = new CopyOnWriteArrayList<>();
  private final List<String> triggeredTraces = new CopyOnWriteArrayList<>();
  private MintaroSdk sdk;

  @AfterEach
  void close() {
    TestSdks.clearContext();
    if (sdk != null) {
      sdk.close();
    }
  }

  @Test
  void aServerRouteTriggersOnlyOnceWarmAndThenAboveWhatItLearnt() {
    build(b -> b.slowThresholdAuto().slowFloor(Duration.ofMillis(1)));

    serve("/orders/1", 50);
    assertThat(triggers).as("the first request of a route is never slow").isEmpty();
    for (int id = 2; id <= 100; id++) {
      serve("/orders/" + id, 0);
    }
    assertThat(triggers).isEmpty();

    serve("/orders/101", 50);

    // one route for every id; its threshold is about what the fast requests took, or the floor
    assertThat(triggers).singleElement().asString()
        .matches("slow slow: GET /orders/101 took \\d+ ms \\(threshold \\d+ ms, p99 of its route\\)");
  }

  @Test
  void routesWithAThresholdOfTheirOwnKeepIt() {
    build(b -> b.slowThresholdAuto().slowThreshold("/reports", Duration.ofMillis(1))
        .slowThreshold("/export", Duration.ofHours(1)));

    serve("/reports/daily", 20);
    assertThat(triggers).as("a fixed threshold needs no warm-up").singleElement().asString()
        .startsWith("slow slow: GET /reports/daily took ").endsWith(" ms (threshold 1 ms)");

    triggers.clear();
    for (int i = 0; i < 100; i++) {
      serve("/export", 0);
    }
    serve("/export", 50);
    assertThat(triggers).isEmpty();
  }

  @Test
  void aFixedThresholdGivenAfterAutoReplacesIt() {
    build(b -> b.slowThresholdAuto().slowThreshold(Duration.ofMillis(1)));

    serve("/x", 20);

    assertThat(triggers).singleElement().asString().endsWith("(threshold 1 ms)");
  }

  @Test
  void serverSpansOfABridgedTracerLearnTheirRoutesToo() {
    build(MintaroSdk.Builder::slowThresholdAuto);
    TracerBridge bridge = TracerBridge.of(sdk);

    for (int i = 1; i <= 100; i++) {
      bridge.span(traceId(i), "00f067aa0ba902b7", null, Span.Kind.SERVER, "GET /report", T0)
          .exchange("GET", "http://h/report?q=" + i, 200, null).end(T0 + 20_000_000L + i * 10_000L);
      bridge.span(traceId(1000 + i), "00f067aa0ba902b7", null, Span.Kind.SERVER, "GET /items/{id}", T0)
          .end(T0 + 20_000_000L);
    }
    assertThat(triggers).as("20 ms is what these routes take").isEmpty();

    bridge.span(traceId(500), "00f067aa0ba902b7", null, Span.Kind.SERVER, "GET /report", T0)
        .exchange("GET", "http://h/report", 200, null).end(T0 + 500_000_000L);
    bridge.span(traceId(501), "00f067aa0ba902b7", null, Span.Kind.SERVER, "GET /items/{id}", T0)
        .end(T0 + 500_000_000L);
    bridge.span(traceId(502), "a1b2c3d4e5f60718", null, Span.Kind.INTERNAL, "GET /report", T0)
        .end(T0 + 900_000_000L);

    assertThat(triggeredTraces).containsExactly(traceId(500), traceId(501));
    assertThat(triggers.get(0)).matches("slow slow: GET /report took 500 ms \\(threshold 2[01] ms, p99 of its route\\)");
    assertThat(triggers.get(1)).as("a span without an exchange is its name's route")
        .isEqualTo("slow slow: GET /items/{id} took 500 ms (threshold 20 ms, p99 of its route)");
  }

  private void build(Consumer<MintaroSdk.Builder> config) {
    MintaroSdk.Builder builder = MintaroSdk.builder().service("svc").triggerRateLimit(1_000, 1_000);
    config.accept(builder);
    sdk = builder.build();
    Core.of(sdk).triggerListener((traceId, kind, reason) -> {
      triggers.add(kind + " " + reason);
      triggeredTraces.add(traceId);
    });
  }

  private void serve(String path, long sleepMillis) {
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://h" + path, path, n -> null);
    try {
      Thread.sleep(sleepMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.status(200);
    exchange.close();
  }

  private static String traceId(int i) {
    return String.format("%032x", 0x4bf92f3577b34da6L * 31 + i);
  }
}
