package io.mintaro.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every OpenTelemetry span is recorded by Mintaro under its own ids, with what it carried. */
class SpanBridgeTest extends BridgeTest {
  @Test
  void spansKeepTheirTraceIdSpanIdsParentsAndKinds() {
    Span root = otel.tracer().spanBuilder("GET /orders").setSpanKind(SpanKind.SERVER).startSpan();
    Span child;
    try (Scope ignored = root.makeCurrent()) {
      child = otel.tracer().spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).startSpan();
      child.end();
      otel.tracer().spanBuilder("publish").setSpanKind(SpanKind.PRODUCER).startSpan().end();
    }
    root.end();

    RecordedTrace trace = mintaro.trace(root.getSpanContext().getTraceId());

    assertThat(trace.root().spanId()).isEqualTo(root.getSpanContext().getSpanId());
    assertThat(trace.root().kind()).isEqualTo("server");
    assertThat(trace.span("SELECT orders").spanId()).isEqualTo(child.getSpanContext().getSpanId());
    assertThat(trace.span("SELECT orders").parentSpanId()).isEqualTo(root.getSpanContext().getSpanId());
    assertThat(trace.span("SELECT orders").kind()).isEqualTo("client");
    assertThat(trace.span("publish").kind()).isEqualTo("client");
    assertThat(trace.spans()).allSatisfy(s -> assertThat(s.status()).isEqualTo("succeeded"));
  }

  @Test
  void attributesOfEveryTypeAreKeptAsText() {
    Span span = otel.tracer().spanBuilder("work").startSpan();
    span.setAttribute("s", "text").setAttribute("n", 42L).setAttribute("b", true).setAttribute("d", 1.5)
        .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"));
    span.end();

    RecordedSpan recorded = mintaro.onlyTrace().span("work");

    assertThat(recorded.attributes()).containsEntry("s", "text").containsEntry("n", "42").containsEntry("b", "true")
        .containsEntry("d", "1.5").containsEntry("tags", "[a, b]");
  }

  @Test
  void spanEventsBecomeMintaroEventsAtTheirTime() {
    Span span = otel.tracer().spanBuilder("lookup").setStartTimestamp(1_000_000, TimeUnit.MICROSECONDS).startSpan();
    span.addEvent("cache miss", Attributes.of(AttributeKey.stringKey("key"), "user:42"), 1_000_250,
        TimeUnit.MICROSECONDS);
    span.addEvent("retry", 1_000_500, TimeUnit.MICROSECONDS);
    span.end(1_001_000, TimeUnit.MICROSECONDS);

    RecordedSpan recorded = mintaro.onlyTrace().span("lookup");

    assertThat(recorded.events()).extracting(e -> e.name()).containsExactly("cache miss", "retry");
    assertThat(recorded.event("cache miss").timeUs()).isEqualTo(1_000_250);
    assertThat(recorded.event("cache miss").attribute("key")).isEqualTo("user:42");
    assertThat(recorded.startUs()).isEqualTo(1_000_000);
    assertThat(recorded.endUs()).isEqualTo(1_001_000);
  }

  @Test
  void anErrorStatusFailsTheSpanWithItsExceptionAndTriggers() {
    Span span = otel.tracer().spanBuilder("charge").startSpan();
    span.recordException(new IllegalStateException("card declined"));
    span.setStatus(StatusCode.ERROR, "charge failed");
    span.end();

    RecordedSpan recorded = mintaro.onlyTrace().span("charge");

    assertThat(recorded.status()).isEqualTo("failed");
    assertThat(recorded.error().type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(recorded.error().message()).isEqualTo("card declined");
    assertThat(recorded.error().stack()).contains("SpanBridgeTest");
    assertThat(recorded.handledErrors()).isEmpty();
    assertThat(recorded.events()).as("the exception is the error, not an event").isEmpty();
    assertThat(mintaro.triggers()).singleElement().satisfies(t -> {
      assertThat(t.kind()).isEqualTo("error");
      assertThat(t.traceId()).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(t.reason()).contains("charge").contains("IllegalStateException");
    });
  }

  @Test
  void anErrorStatusWithoutAnExceptionStillFails() {
    Span span = otel.tracer().spanBuilder("validate").startSpan();
    span.setStatus(StatusCode.ERROR, "bad input");
    span.end();

    RecordedSpan recorded = mintaro.onlyTrace().span("validate");

    assertThat(recorded.status()).isEqualTo("failed");
    assertThat(recorded.error().type()).isEqualTo("ERROR status");
    assertThat(recorded.error().message()).isEqualTo("bad input");
    assertThat(mintaro.triggers()).hasSize(1);
  }

  @Test
  void anExceptionRecordedOnAServerSpanTriggersThoughTheSpanSucceeded() {
    Span span = otel.tracer().spanBuilder("GET /items").setSpanKind(SpanKind.SERVER).startSpan();
    span.recordException(new java.io.IOException("client went away"));
    span.end();

    RecordedSpan recorded = mintaro.onlyTrace().span("GET /items");

    assertThat(recorded.status()).isEqualTo("succeeded");
    assertThat(recorded.handledErrors()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("java.io.IOException"));
    assertThat(mintaro.triggers()).singleElement().satisfies(t -> assertThat(t.reason())
        .isEqualTo("exception java.io.IOException in GET /items"));
  }

  @Test
  void anExceptionHandledInsideAnInternalSpanIsKeptWithoutTriggering() {
    Span span = otel.tracer().spanBuilder("retrying").startSpan();
    span.recordException(new java.io.IOException("first attempt"));
    span.end();

    assertThat(mintaro.onlyTrace().span("retrying").handledErrors()).hasSize(1);
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void aSlowServerSpanTriggersAsSlow() {
    Span span = otel.tracer().spanBuilder("GET /report").setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(1_000_000, TimeUnit.MILLISECONDS).startSpan();
    span.end(1_000_000 + 2_500, TimeUnit.MILLISECONDS); // the default threshold is 2 s

    assertThat(mintaro.triggers()).singleElement().satisfies(t -> {
      assertThat(t.kind()).isEqualTo("slow");
      assertThat(t.reason()).contains("2500 ms");
    });
  }

  @Test
  void spansTheSamplerDropsAreRecordedButNotExported() {
    otel.close();
    otel = new Otel(mintaro.sdk(), Sampler.alwaysOff());

    Span span = otel.tracer().spanBuilder("unsampled").startSpan();
    span.end();

    assertThat(span.getSpanContext().isSampled()).isFalse();
    assertThat(otel.exported).isEmpty();
    assertThat(mintaro.onlyTrace().span("unsampled").status()).isEqualTo("succeeded");
  }

  @Test
  void sampledSpansAreStillExported() {
    Span span = otel.tracer().spanBuilder("sampled").startSpan();
    span.end();

    assertThat(span.getSpanContext().isSampled()).isTrue();
    assertThat(otel.exported).extracting(s -> s.getName()).containsExactly("sampled");
  }

  @Test
  void theSamplerDescribesWhatItWraps() {
    assertThat(otel.mintaro.sampler(Sampler.alwaysOff()).getDescription())
        .isEqualTo("MintaroRecordEverything{AlwaysOffSampler}");
  }

  @Test
  void manySpansOfOneTraceAreAllRecorded() {
    SdkTracerProvider plain = SdkTracerProvider.builder()
        .addSpanProcessor(MintaroOpenTelemetry.create(mintaro.sdk()).spanProcessor()).build();
    try {
      int spans = 20_000;
      Span root = plain.get("t").spanBuilder("root").startSpan();
      try (Scope ignored = root.makeCurrent()) {
        for (int i = 0; i < spans; i++) {
          plain.get("t").spanBuilder("child").startSpan().end();
        }
      }
      root.end();
      plain.forceFlush().join(5, TimeUnit.SECONDS);

      assertThat(mintaro.trace(root.getSpanContext().getTraceId()).spans()).hasSize(spans + 1);
    } finally {
      plain.close();
    }
  }
}
