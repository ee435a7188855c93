package io.mintaro.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.RecordedLog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Log records made inside a span are kept with it, at every level. */
class LogBridgeTest extends BridgeTest {
  @Test
  void aRecordInsideASpanIsKeptInThatSpanWithItsLevelLoggerAndTime() {
    Span span = otel.tracer().spanBuilder("work").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      otel.logger("app.Stock").logRecordBuilder().setSeverity(Severity.DEBUG).setBody("checking stock")
          .setTimestamp(1_763_700_000_123_000L, TimeUnit.MICROSECONDS)
          .setAttribute(AttributeKey.stringKey("thread.name"), "worker-7").emit();
    }
    span.end();

    RecordedLog log = mintaro.onlyTrace().logs().get(0);

    assertThat(log.message()).isEqualTo("checking stock");
    assertThat(log.level()).isEqualTo("DEBUG");
    assertThat(log.logger()).isEqualTo("app.Stock");
    assertThat(log.thread()).isEqualTo("worker-7");
    assertThat(log.timeUs()).isEqualTo(1_763_700_000_123_000L);
    assertThat(log.spanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void anErrorRecordKeepsItsExceptionAndTriggers() {
    Span span = otel.tracer().spanBuilder("work").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      otel.logger("app.Stock").logRecordBuilder().setSeverity(Severity.ERROR).setBody("out of stock")
          .setAttribute(AttributeKey.stringKey("exception.type"), "java.lang.IllegalStateException")
          .setAttribute(AttributeKey.stringKey("exception.message"), "none left").emit();
    }
    span.end();

    RecordedLog log = mintaro.onlyTrace().logs().get(0);

    assertThat(log.level()).isEqualTo("ERROR");
    assertThat(log.thread()).as("the emitting thread when the record names none").isEqualTo(Thread.currentThread().getName());
    assertThat(log.error().type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(mintaro.triggers()).singleElement().satisfies(t -> assertThat(t.reason()).contains("out of stock"));
  }

  @Test
  void aRecordOutsideAnySpanIsNotKept() {
    otel.logger("app").logRecordBuilder().setSeverity(Severity.ERROR).setBody("no trace").emit();

    assertThat(mintaro.traces()).isEmpty();
  }

  @Test
  void severityNumbersMapOntoFiveLevels() {
    assertThat(MintaroLogRecordProcessor.level(Severity.TRACE2, null)).isEqualTo(Level.TRACE);
    assertThat(MintaroLogRecordProcessor.level(Severity.DEBUG4, null)).isEqualTo(Level.DEBUG);
    assertThat(MintaroLogRecordProcessor.level(Severity.INFO, null)).isEqualTo(Level.INFO);
    assertThat(MintaroLogRecordProcessor.level(Severity.WARN3, null)).isEqualTo(Level.WARNING);
    assertThat(MintaroLogRecordProcessor.level(Severity.FATAL, null)).isEqualTo(Level.ERROR);
    assertThat(MintaroLogRecordProcessor.level(Severity.UNDEFINED_SEVERITY_NUMBER, "warning")).isEqualTo(Level.WARNING);
    assertThat(MintaroLogRecordProcessor.level(Severity.UNDEFINED_SEVERITY_NUMBER, null)).isEqualTo(Level.INFO);
  }
}
