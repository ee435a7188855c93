package io.mintaro.opentelemetry;

import io.mintaro.Span;
import io.mintaro.bridge.ForeignSpan;
import io.mintaro.bridge.TracerBridge;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each ended OpenTelemetry span into Mintaro's recorder, with what Mintaro can read from it,
 * on the thread that ended it, as Mintaro's own spans are written. A hand-over to a writer thread
 * was tried and dropped: it moved the same CPU to another thread, which on two cores contended
 * with the application and OpenTelemetry's exporter (RATIONALE.md).
 */
final class MintaroSpanProcessor implements SpanProcessor {
  private final TracerBridge bridge;

  MintaroSpanProcessor(TracerBridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  /** A span continuing a remote caller's trace records the caller, if it was a Mintaro process. */
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    try {
      SpanContext parent = span.getParentSpanContext();
      if (!parent.isRemote()) {
        return;
      }
      String caller = parentContext == null ? null : parentContext.get(MintaroPropagator.CALLER);
      if (caller == null) {
        // behind services that pass tracestate on but not Mintaro's header
        caller = parent.getTraceState().get(RecordEverythingSampler.TRACESTATE_KEY);
      }
      if (caller != null) {
        SpanContext own = span.getSpanContext();
        bridge.calledBy(own.getTraceId(), own.getSpanId(), caller);
      }
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    try {
      record(span.toSpanData());
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  private void record(SpanData data) {
    SpanContext context = data.getSpanContext();
    SpanContext parent = data.getParentSpanContext();
    Span.Kind kind = kindOf(data.getKind());
    ForeignSpan span = bridge.span(context.getTraceId(), context.getSpanId(),
        parent.isValid() ? parent.getSpanId() : null, kind, data.getName(), data.getStartEpochNanos());
    Attributes attributes = data.getAttributes();
    attributes.forEach((key, value) -> attribute(span, key, value));
    boolean failed = data.getStatus().getStatusCode() == StatusCode.ERROR;
    EventData failure = failed ? lastException(data.getEvents()) : null;
    for (EventData event : data.getEvents()) {
      if (Semconv.EXCEPTION_EVENT.equals(event.getName())) {
        if (event != failure) {
          Attributes e = event.getAttributes();
          span.recordError(orUnknown(e.get(Semconv.EXCEPTION_TYPE)), e.get(Semconv.EXCEPTION_MESSAGE),
              e.get(Semconv.EXCEPTION_STACKTRACE));
        }
        if (kind == Span.Kind.SERVER && !failed) {
          span.trigger("exception " + orUnknown(event.getAttributes().get(Semconv.EXCEPTION_TYPE)) + " in "
              + data.getName());
        }
      } else {
        span.event(event.getName(), event.getEpochNanos(), asMap(event.getAttributes()));
      }
    }
    if (failed) {
      String description = data.getStatus().getDescription();
      if (failure != null) {
        Attributes e = failure.getAttributes();
        String message = e.get(Semconv.EXCEPTION_MESSAGE);
        span.fail(orUnknown(e.get(Semconv.EXCEPTION_TYPE)), message != null ? message : description,
            e.get(Semconv.EXCEPTION_STACKTRACE));
      } else {
        span.fail("ERROR status", description == null || description.isEmpty() ? null : description, null);
      }
    }
    Semconv.Http http = Semconv.http(attributes, kind);
    if (http != null) {
      span.exchange(http.method, http.url, http.status, http.error);
      span.requestHeaders(http.requestHeaders).responseHeaders(http.responseHeaders);
      if (kind == Span.Kind.SERVER && http.authority != null) {
        bridge.servedAuthority(http.authority);
      } else if (kind == Span.Kind.CLIENT && http.authority != null) {
        span.callee(http.authority, null);
      }
    }
    span.end(data.getEndEpochNanos());
  }

  private static void attribute(ForeignSpan span, AttributeKey<?> key, Object value) {
    String name = key.getKey();
    switch (key.getType()) {
      case STRING -> span.attribute(name, (String) value);
      case LONG -> span.attribute(name, (Long) value);
      case BOOLEAN -> span.attribute(name, (Boolean) value);
      case DOUBLE -> span.attribute(name, (Double) value);
      default -> span.attribute(name, String.valueOf(value)); // arrays, as [a, b]
    }
  }

  private static EventData lastException(List<EventData> events) {
    EventData last = null;
    for (EventData e : events) {
      if (Semconv.EXCEPTION_EVENT.equals(e.getName())) {
        last = e;
      }
    }
    return last;
  }

  private static Map<String, Object> asMap(Attributes attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    attributes.forEach((k, v) -> map.put(k.getKey(), v));
    return map;
  }

  private static String orUnknown(String type) {
    return type == null || type.isEmpty() ? "exception" : type;
  }

  static Span.Kind kindOf(SpanKind kind) {
    return switch (kind) {
      case SERVER, CONSUMER -> Span.Kind.SERVER;
      case CLIENT, PRODUCER -> Span.Kind.CLIENT;
      default -> Span.Kind.INTERNAL;
    };
  }

  @Override
  public String toString() {
    return "MintaroSpanProcessor";
  }
}
