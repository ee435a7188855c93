package io.mintaro.internal.context;

/**
 * Where the current thread is in a trace: the trace, the current span, and the SDK instance
 * that records it. Immutable; a new span makes a new context.
 */
public final class TraceContext {
  public final Object owner;
  public final long traceHi;
  public final long traceLo;
  public final long spanId;
  /**
   * The W3C tracestate to send on: Mintaro's member first, then the caller's members as received;
   * null when the caller sent none (or an invalid one), and only Mintaro's member is sent.
   */
  public final String traceState;
  /** W3C trace-flags (sampled, random), plus internal bits that are never sent in traceparent. */
  public final byte flags;
  /** The span this context belongs to while it may be open and current somewhere; else null. */
  public final OpenSpan span;

  public TraceContext(Object owner, long traceHi, long traceLo, long spanId, String traceState, byte flags) {
    this(owner, traceHi, traceLo, spanId, traceState, flags, null);
  }

  public TraceContext(Object owner, long traceHi, long traceLo, long spanId, String traceState, byte flags,
      OpenSpan span) {
    this.owner = owner;
    this.traceHi = traceHi;
    this.traceLo = traceLo;
    this.spanId = spanId;
    this.traceState = traceState;
    this.flags = flags;
    this.span = span;
  }

  public TraceContext withSpan(long newSpanId) {
    return new TraceContext(owner, traceHi, traceLo, newSpanId, traceState, flags);
  }

  public String traceIdHex() {
    return Ids.traceHex(traceHi, traceLo);
  }

  public boolean sameTrace(long hi, long lo) {
    return traceHi == hi && traceLo == lo;
  }
}
