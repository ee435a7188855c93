package io.mintaro.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.RecordedBreadcrumb;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The breadcrumbs that let the collector follow a trace through OpenTelemetry services. */
class PropagationTest extends BridgeTest {
  private static final String UPSTREAM_AGENT = "3f2a9c0d11b4e7a1";
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Override
  Sampler sampler() {
    return Sampler.parentBased(Sampler.alwaysOn());
  }

  @Test
  void outgoingCallsCarryTheAgentIdBesideTraceparent() {
    Map<String, String> headers = new HashMap<>();
    Span span = otel.tracer().spanBuilder("call").setSpanKind(SpanKind.CLIENT).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      otel.propagators.getTextMapPropagator().inject(Context.current(), headers, Map::put);
    }
    span.end();

    assertThat(headers).containsEntry("X-Mintaro-Caller", mintaro.sdk().agentId())
        .containsKey("traceparent");
    assertThat(headers.get("tracestate")).isEqualTo("mintaro=" + mintaro.sdk().agentId());
  }

  @Test
  void nothingIsSentOutsideASpan() {
    Map<String, String> headers = new HashMap<>();
    otel.propagators.getTextMapPropagator().inject(Context.root(), headers, Map::put);

    assertThat(headers).isEmpty();
  }

  @Test
  void mintarosTracestateMemberGoesFirstAndTheOthersAreKeptInOrder() {
    Map<String, String> incoming = Map.of("traceparent", TRACEPARENT,
        "tracestate", "rojo=00f067aa0ba902b7,mintaro=" + UPSTREAM_AGENT + ",congo=t61rcWkgMzE");

    Map<String, String> outgoing = callThrough(incoming);

    assertThat(outgoing.get("tracestate"))
        .isEqualTo("mintaro=" + mintaro.sdk().agentId() + ",rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  }

  @Test
  void mintarosMemberIsAddedInFrontOfAForeignList() {
    Map<String, String> outgoing = callThrough(Map.of("traceparent", TRACEPARENT, "tracestate", "rojo=1,congo=2"));

    assertThat(outgoing.get("tracestate")).isEqualTo("mintaro=" + mintaro.sdk().agentId() + ",rojo=1,congo=2");
  }

  @Test
  void aServerSpanRecordsItsCallerFromTheCallerHeader() {
    callThrough(Map.of("traceparent", TRACEPARENT, "X-Mintaro-Caller", UPSTREAM_AGENT));

    assertThat(mintaro.onlyTrace().breadcrumbs()).singleElement().satisfies(b -> {
      assertThat(b.role()).isEqualTo("caller");
      assertThat(b.agentId()).isEqualTo(UPSTREAM_AGENT);
      assertThat(b.spanId()).isEqualTo(mintaro.onlyTrace().root().spanId());
    });
  }

  @Test
  void withoutTheHeaderTheCallerComesFromTracestate() {
    callThrough(Map.of("traceparent", TRACEPARENT, "tracestate", "mintaro=" + UPSTREAM_AGENT));

    assertThat(mintaro.onlyTrace().breadcrumbs()).extracting(RecordedBreadcrumb::agentId).containsExactly(UPSTREAM_AGENT);
  }

  @Test
  void aMalformedCallerIsIgnored() {
    callThrough(Map.of("traceparent", TRACEPARENT, "X-Mintaro-Caller", "x".repeat(10_000)));
    callThrough(Map.of("traceparent", TRACEPARENT.replace("4bf9", "5bf9"), "X-Mintaro-Caller", "not-hex\r\nX: y"));

    assertThat(mintaro.traces()).hasSize(2).allSatisfy(t -> assertThat(t.breadcrumbs()).isEmpty());
  }

  @Test
  void theServerSpanContinuesTheCallersTraceUnderTheCallersSpan() {
    callThrough(Map.of("traceparent", TRACEPARENT));

    assertThat(mintaro.onlyTrace().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(mintaro.onlyTrace().root().parentSpanId()).isEqualTo("00f067aa0ba902b7");
  }

  /** A request with these headers served in a server span, which makes one outgoing call. */
  private Map<String, String> callThrough(Map<String, String> incoming) {
    Context extracted = otel.propagators.getTextMapPropagator().extract(Context.root(), incoming, GETTER);
    Span server = otel.tracer().spanBuilder("GET /").setSpanKind(SpanKind.SERVER).setParent(extracted).startSpan();
    Map<String, String> outgoing = new HashMap<>();
    try (Scope ignored = server.makeCurrent()) {
      otel.propagators.getTextMapPropagator().inject(Context.current(), outgoing, Map::put);
    }
    server.end();
    return outgoing;
  }

  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };
}
