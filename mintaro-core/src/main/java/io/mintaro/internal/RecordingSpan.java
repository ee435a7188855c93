package io.mintaro.internal;

import io.mintaro.Span;
import io.mintaro.internal.context.Clock;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.context.InFlight;
import io.mintaro.internal.context.OpenSpan;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.recorder.ErrorInfo;
import io.mintaro.internal.recorder.RecordWriter;
import io.mintaro.internal.recorder.SpanEvent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;

/**
 * The span implementation: written to the ring when it ends. A span that is made current writes
 * its start record only if its trace is collected while it is still open ({@link OpenSpan}); one
 * that is not (a client call) writes it when it starts.
 */
public final class RecordingSpan implements Span, OpenSpan {
  private static final VarHandle ENDED;
  private static final VarHandle START_WRITTEN;
  private static final VarHandle IN_FLIGHT;
  private static final VarHandle CALLS;

  static {
    try {
      ENDED = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "ended", boolean.class);
      START_WRITTEN = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "startWritten", boolean.class);
      IN_FLIGHT = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "inFlight", InFlight.class);
      CALLS = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "callsInFlight", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Core core;
  private final TraceContext context;
  private final long parentId;
  private final byte kind;
  private final String name;
  private final long startUs;
  private final TraceContext previous;
  private final boolean scoped;
  @SuppressWarnings("unused") // set through ENDED
  private volatile boolean ended;
  @SuppressWarnings("unused") // set through START_WRITTEN
  private volatile boolean startWritten;
  /** Keys and values alternating; a value is a String, a Long or a Boolean, encoded when written. */
  private Object[] attributes;
  private int attributeCount;
  private ErrorInfo error;
  private ErrorInfo[] handled;
  private int handledCount;
  private SpanEvent[] events;
  private int eventCount;
  private long endUs;
  /** Set by a server integration for the watch over requests still running; null otherwise. */
  @SuppressWarnings("unused") // through IN_FLIGHT
  private InFlight inFlight;
  @SuppressWarnings("unused") // through CALLS; calls may end on other threads
  private int callsInFlight;

  RecordingSpan(Core core, long hi, long lo, long spanId, String traceState, byte flags, long parentId,
      byte kind, String name, long startUs, boolean makeCurrent) {
    this.core = core;
    this.parentId = parentId;
    this.kind = kind;
    this.name = name;
    this.startUs = startUs;
    this.scoped = makeCurrent;
    this.context = new TraceContext(core, hi, lo, spanId, traceState, flags, makeCurrent ? this : null);
    if (makeCurrent) {
      // last: swap publishes the context, and through it this span, to the agent's thread
      this.previous = ContextStorage.swap(context);
    } else {
      this.previous = null;
      START_WRITTEN.setOpaque(this, true);
      core.writer().spanStart(hi, lo, spanId, parentId, kind, startUs, name);
    }
  }

  @Override
  public void recordStartIfOpen() {
    if (!ended && START_WRITTEN.compareAndSet(this, false, true)) {
      core.writer().spanStart(context.traceHi, context.traceLo, context.spanId, parentId, kind, startUs, name);
    }
  }

  @Override
  public TraceContext replaced() {
    return previous;
  }

  @Override
  public String spanName() {
    return name;
  }

  @Override
  public boolean isServer() {
    return kind == Core.KIND_SERVER;
  }

  /** Makes the agent's watch over open spans call {@code check} while this span runs. */
  public void inFlight(InFlight check) {
    // opaque: no fence on the request's thread; the agent sees it by its next look at the latest
    IN_FLIGHT.setOpaque(this, check);
  }

  @Override
  public void callStarted() {
    CALLS.getAndAdd(this, 1);
  }

  @Override
  public void callEnded() {
    CALLS.getAndAdd(this, -1);
  }

  @Override
  public boolean waitingOnCall() {
    return (int) CALLS.getOpaque(this) > 0;
  }

  @Override
  public void checkInFlight(long nowUs) {
    InFlight check = (InFlight) IN_FLIGHT.getOpaque(this);
    if (check != null && !ended) {
      try {
        check.check(nowUs);
      } catch (RuntimeException e) {
        // the watch goes on with the other spans
      }
    }
  }

  public TraceContext context() {
    return context;
  }

  public Core core() {
    return core;
  }

  public long startMicros() {
    return startUs;
  }

  /** Duration once ended; 0 before. */
  public long durationMicros() {
    return endUs == 0 ? 0 : endUs - startUs;
  }

  public boolean failed() {
    return error != null;
  }

  @Override
  public String traceId() {
    return context.traceIdHex();
  }

  @Override
  public String spanId() {
    return Ids.hex(context.spanId);
  }

  @Override
  public Span attribute(String key, String value) {
    return put(key, value);
  }

  private Span put(String key, Object value) {
    if (key == null || ended) {
      return this;
    }
    if (attributes == null) {
      attributes = new Object[10];
    }
    // A key set twice is kept twice and the agent keeps the last value: no search per call.
    if (attributeCount >= RecordWriter.MAX_ATTRIBUTES && !compactAttributes()) {
      return this;
    }
    if (attributeCount * 2 + 2 > attributes.length) {
      attributes = Arrays.copyOf(attributes, attributes.length * 2);
    }
    attributes[attributeCount * 2] = key;
    attributes[attributeCount * 2 + 1] = value;
    attributeCount++;
    return this;
  }

  /** Drops the earlier values of keys set again; true when that made room. */
  private boolean compactAttributes() {
    int kept = 0;
    for (int i = 0; i < attributeCount; i++) {
      Object key = attributes[i * 2];
      boolean setAgain = false;
      for (int j = i + 1; j < attributeCount && !setAgain; j++) {
        setAgain = attributes[j * 2].equals(key);
      }
      if (!setAgain) {
        attributes[kept * 2] = key;
        attributes[kept * 2 + 1] = attributes[i * 2 + 1];
        kept++;
      }
    }
    Arrays.fill(attributes, kept * 2, attributeCount * 2, null);
    attributeCount = kept;
    return kept < RecordWriter.MAX_ATTRIBUTES;
  }

  @Override
  public Span attribute(String key, long value) {
    return put(key, value); // boxed (small values are cached), printed straight into the ring
  }

  @Override
  public Span attribute(String key, boolean value) {
    return put(key, value);
  }

  @Override
  public Span recordError(Throwable e) {
    if (e == null || ended) {
      return this;
    }
    if (handled == null) {
      handled = new ErrorInfo[RecordWriter.MAX_HANDLED_ERRORS];
    }
    if (handledCount < handled.length) {
      handled[handledCount++] = ErrorInfo.of(e);
    }
    return this;
  }

  @Override
  public Span event(String name) {
    return event(name, null);
  }

  @Override
  public Span event(String name, Map<String, ?> attributes) {
    if (name == null || name.isEmpty() || ended) {
      return this;
    }
    SpanEvent[] room = SpanEvent.roomForOne(events, eventCount);
    if (room == null) {
      return this;
    }
    events = room;
    events[eventCount++] = SpanEvent.of(Clock.nowMicros(), name, attributes);
    return this;
  }

  @Override
  public Span fail(Throwable e) {
    if (ended) {
      return this;
    }
    error = e == null ? new ErrorInfo("failed", null, null) : ErrorInfo.of(e);
    return this;
  }

  /** Marks the span failed without an exception, for example a response status of 500. */
  public void failWith(String type, String message) {
    if (error == null && !ended) {
      error = new ErrorInfo(type, message, null);
    }
  }

  @Override
  public void close() {
    if (!ENDED.compareAndSet(this, false, true)) {
      return;
    }
    try {
      endUs = Math.max(Clock.nowMicros(), startUs);
      core.writer().spanEnd(context.traceHi, context.traceLo, context.spanId, parentId, kind,
          error == null ? Core.STATUS_SUCCEEDED : Core.STATUS_FAILED, startUs, endUs, name,
          attributes, attributeCount, error, handled, handledCount, events, eventCount);
    } catch (RuntimeException e) {
      // never into the application
    } finally {
      if (scoped && ContextStorage.current() == context) {
        ContextStorage.swap(previous);
      }
    }
  }
}
