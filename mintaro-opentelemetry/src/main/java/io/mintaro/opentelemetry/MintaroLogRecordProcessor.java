package io.mintaro.opentelemetry;

import io.mintaro.bridge.TracerBridge;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import java.lang.System.Logger.Level;

/** Records each log record made inside a span into that span's trace. */
final class MintaroLogRecordProcessor implements LogRecordProcessor {
  private final TracerBridge bridge;

  MintaroLogRecordProcessor(TracerBridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void onEmit(Context context, ReadWriteLogRecord log) {
    try {
      SpanContext span = log.getSpanContext();
      if (span == null || !span.isValid()) {
        return; // outside any trace: no trace could ever ship it
      }
      // getAttribute reads one key; getAttributes() builds a copy when the incubator API is present
      String thread = log.getAttribute(Semconv.THREAD_NAME);
      long time = log.getTimestampEpochNanos();
      Value<?> body = log.getBodyValue();
      bridge.log(span.getTraceId(), span.getSpanId(), level(log.getSeverity(), log.getSeverityText()),
          log.getInstrumentationScopeInfo().getName(),
          thread != null ? thread : Thread.currentThread().getName(),
          time != 0 ? time : log.getObservedTimestampEpochNanos(),
          body == null ? null : body.asString(), log.getAttribute(Semconv.EXCEPTION_TYPE),
          log.getAttribute(Semconv.EXCEPTION_MESSAGE), log.getAttribute(Semconv.EXCEPTION_STACKTRACE));
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  /** OpenTelemetry's severity numbers (1–24, in fours) onto Mintaro's five levels. */
  static Level level(Severity severity, String text) {
    int n = severity == null ? 0 : severity.getSeverityNumber();
    if (n == 0 && text != null) {
      return switch (text.toUpperCase(java.util.Locale.ROOT)) {
        case "TRACE" -> Level.TRACE;
        case "DEBUG", "FINE", "FINER", "FINEST" -> Level.DEBUG;
        case "WARN", "WARNING" -> Level.WARNING;
        case "ERROR", "SEVERE", "FATAL", "CRITICAL" -> Level.ERROR;
        default -> Level.INFO;
      };
    }
    if (n == 0) {
      return Level.INFO;
    }
    return n <= 4 ? Level.TRACE : n <= 8 ? Level.DEBUG : n <= 12 ? Level.INFO : n <= 16 ? Level.WARNING : Level.ERROR;
  }

  @Override
  public String toString() {
    return "MintaroLogRecordProcessor";
  }
}
