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
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes each ended OpenTelemetry span into Mintaro's recorder, with what Mintaro can read from it.
 * The application's thread only hands the span over; a daemon thread takes its snapshot and writes
 * it, as OpenTelemetry's own {@code BatchSpanProcessor} exports from a thread of its own. When the
 * hand-over queue is full the span is written on the calling thread, so none is lost.
 */
final class MintaroSpanProcessor implements SpanProcessor {
  static final int QUEUE_CAPACITY = 8192;
  private static final long MAX_IDLE_NANOS = 5_000_000;

  private final TracerBridge bridge;
  private final ArrayBlockingQueue<ReadableSpan> ended = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Object drainLock = new Object();
  private final Thread writer;
  private volatile boolean running = true;

  MintaroSpanProcessor(TracerBridge bridge) {
    this.bridge = bridge;
    this.writer = new Thread(this::drainLoop, "mintaro-otel-spans");
    writer.setDaemon(true);
    writer.start();
  }

  /** Polls rather than being signalled, so that ending a span never wakes a thread. */
  private void drainLoop() {
    long idle = 50_000;
    while (running) {
      if (drain() > 0) {
        idle = 50_000;
      } else {
        LockSupport.parkNanos(idle);
        idle = Math.min(idle * 2, MAX_IDLE_NANOS);
      }
    }
    drain();
  }

  /** Under a lock, so that a flush returns only once a span the writer thread took is written too. */
  private int drain() {
    synchronized (drainLock) {
      int n = 0;
      for (ReadableSpan span; (span = ended.poll()) != null; n++) {
        write(span);
      }
      return n;
    }
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
    if (span != null && !ended.offer(span)) {
      write(span);
    }
  }

  /** Writes what was handed over so far; for tests and orderly shutdowns. */
  @Override
  public CompletableResultCode forceFlush() {
    drain();
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    running = false;
    LockSupport.unpark(writer);
    drain();
    return CompletableResultCode.ofSuccess();
  }

  private void write(ReadableSpan span) {
    try {
      record(span.toSpanData());
    } catch (RuntimeException e) {
      // never into the application, nor out of the writer thread
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
