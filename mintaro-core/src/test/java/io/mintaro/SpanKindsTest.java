package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spans of each kind, detached spans, and the cheap in-trace check. */
class SpanKindsTest extends LocalSdkTest {

  @Test
  void aSpanStartedWithAKindIsRecordedWithIt() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      Mintaro.startSpan("call", Span.Kind.CLIENT).close();
      Mintaro.startSpan("handle", Span.Kind.SERVER).close();
      Mintaro.startSpan("work", Span.Kind.INTERNAL).close();
    }
    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    assertThat(RingDump.span(trace, "call").get("kind")).isEqualTo("client");
    assertThat(RingDump.span(trace, "handle").get("kind")).isEqualTo("server");
    assertThat(RingDump.span(trace, "work").get("kind")).isEqualTo("internal");
  }

  @Test
  void aDetachedSpanIsAChildOfTheCurrentSpanButNeverCurrentItself() {
    String traceId;
    Span query;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      query = Mintaro.startDetachedSpan("query", Span.Kind.CLIENT);
      try (Span meanwhile = Mintaro.startSpan("meanwhile")) {
        assertThat(meanwhile.traceId()).isEqualTo(traceId);
      }
      Map<String, Object> whileOpen = RingDump.trace(sdk, traceId);
      assertThat(RingDump.span(whileOpen, "query").get("status")).as("started at once").isEqualTo("started");
      assertThat(RingDump.span(whileOpen, "meanwhile").get("parentSpanId")).isEqualTo(root.spanId());
      query.close();
      assertThat(Mintaro.traceId()).as("closing it restores nothing").isEqualTo(traceId);
    }
    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    assertThat(RingDump.span(trace, "query").get("parentSpanId")).isEqualTo(RingDump.span(trace, "root").get("spanId"));
    assertThat(RingDump.span(trace, "query").get("status")).isEqualTo("succeeded");
    assertThat(Mintaro.traceId()).isNull();
  }

  @Test
  void inTraceSaysWhetherATraceIsCurrent() {
    assertThat(Mintaro.inTrace()).isFalse();
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      assertThat(Mintaro.inTrace()).isTrue();
    }
    assertThat(Mintaro.inTrace()).isFalse();
  }

  @Test
  void anSdkSaysWhichFieldsItRedacts() {
    MintaroSdk custom = MintaroSdk.builder().redactFields("iban").build();
    try {
      assertThat(custom.redactsField("customer_IBAN")).isTrue();
      assertThat(custom.redactsField("user_password")).isTrue();
      assertThat(custom.redactsField("amount")).isFalse();
      assertThat(custom.redactsField(null)).isFalse();
      assertThat(sdk.redactsField("iban")).isFalse();
    } finally {
      custom.close();
    }
  }
}
