package io.mintaro.bridge;

import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.internal.Core;
import io.mintaro.internal.LogLevels;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.propagation.TraceHeaders;
import io.mintaro.internal.recorder.ErrorInfo;

/**
 * For bridges from other tracing libraries, such as OpenTelemetry's SDK: records their spans and
 * log records into one SDK's flight recorder under the ids those libraries gave them, so a trace
 * that crosses both is one trace. Applications do not use this; bridge modules
 * ({@code mintaro-opentelemetry}) do.
 *
 * <p>Ids are lowercase hex as in W3C Trace Context (32 digits for a trace, 16 for a span); an
 * invalid one makes the call record nothing. Times are epoch nanoseconds, as the bridged library
 * reports them. Nothing here throws.
 */
public final class TracerBridge {
  private final Core core;

  private TracerBridge(Core core) {
    this.core = core;
  }

  /** The bridge into {@code sdk}. */
  public static TracerBridge of(MintaroSdk sdk) {
    return new TracerBridge(Core.of(sdk));
  }

  /**
   * Begins recording one span of the bridged library. The span is written when
   * {@link ForeignSpan#end(long)} is called.
   *
   * @param parentSpanId null or empty for a trace's root
   */
  public ForeignSpan span(String traceId, String spanId, String parentSpanId, Span.Kind kind, String name,
      long startEpochNanos) {
    try {
      if (!isHex(traceId, 32) || !isHex(spanId, 16)) {
        return ForeignSpan.NOOP;
      }
      long hi = hex16(traceId, 0);
      long lo = hex16(traceId, 16);
      long id = hex16(spanId, 0);
      if ((hi | lo) == 0 || id == 0) {
        return ForeignSpan.NOOP;
      }
      long parent = isHex(parentSpanId, 16) ? hex16(parentSpanId, 0) : 0;
      byte kindByte = kind == Span.Kind.SERVER ? Core.KIND_SERVER
          : kind == Span.Kind.CLIENT ? Core.KIND_CLIENT : Core.KIND_INTERNAL;
      return new ForeignSpan(core, hi, lo, id, parent, kindByte, name == null ? "" : name, startEpochNanos / 1000,
          sensitiveKeys);
    } catch (RuntimeException e) {
      return ForeignSpan.NOOP;
    }
  }

  /**
   * Records a log line of the bridged library in the span it was logged in. An ERROR line triggers
   * its trace, as Mintaro's own logging integrations do.
   *
   * @param message read before this returns and not kept
   * @param errorType the exception's class name, or null; its message and stack trace may be null
   */
  public void log(String traceId, String spanId, System.Logger.Level level, String logger, String thread,
      long epochNanos, CharSequence message, String errorType, String errorMessage, String stackTrace) {
    try {
      TraceContext ctx = context(traceId, spanId);
      if (ctx == null) {
        return;
      }
      ErrorInfo error = errorType == null ? null : new ErrorInfo(errorType, errorMessage, stackTrace);
      core.log(ctx, LogLevels.of(level), logger, thread, epochNanos / 1000, message, error);
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  /**
   * Records that the span was called by another Mintaro process, named by its agent id (the
   * value of {@code X-Mintaro-Caller}, or of the {@code mintaro} member of {@code tracestate};
   * a propagator sends this process's own, {@link MintaroSdk#agentId()}).
   * The collector follows it to that process. Ignored when the value is not an agent id, or is
   * this process's own.
   */
  public void calledBy(String traceId, String spanId, String callerAgentId) {
    try {
      String caller = TraceHeaders.parseAgentId(callerAgentId);
      TraceContext ctx = context(traceId, spanId);
      if (caller != null && ctx != null && !caller.equals(core.agentId())) {
        core.breadcrumb(ctx, Core.ROLE_CALLER, caller, null);
      }
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  /**
   * Remembers a {@code host:port} by which this process was called, so that a caller whose call
   * got no Mintaro answer can still be traced here.
   */
  public void servedAuthority(String hostAndPort) {
    try {
      if (hostAndPort != null && !hostAndPort.isEmpty() && hostAndPort.length() <= 255 && hostAndPort.indexOf(',') < 0) {
        core.observeAuthority(hostAndPort.trim().toLowerCase(java.util.Locale.ROOT));
      }
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  private TraceContext context(String traceId, String spanId) {
    if (!isHex(traceId, 32)) {
      return null;
    }
    long hi = hex16(traceId, 0);
    long lo = hex16(traceId, 16);
    if ((hi | lo) == 0) {
      return null;
    }
    long span = isHex(spanId, 16) ? hex16(spanId, 0) : 0;
    return new TraceContext(core, hi, lo, span, null, (byte) 0);
  }

  /** Hex digits by character; 16 marks any other character. */
  private static final byte[] NIBBLE = new byte[256];

  static {
    java.util.Arrays.fill(NIBBLE, (byte) 16);
    for (int i = 0; i < 10; i++) {
      NIBBLE['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      NIBBLE['a' + i] = (byte) (10 + i);
      NIBBLE['A' + i] = (byte) (10 + i);
    }
  }

  /**
   * Exactly {@code digits} hex digits. One pass without a branch per character: bridged ids are
   * random, so per-digit branches mispredict (see BENCHMARKS.md, the OpenTelemetry bridge).
   */
  static boolean isHex(String s, int digits) {
    if (s == null || s.length() != digits) {
      return false;
    }
    int seen = 0;
    for (int i = 0; i < digits; i++) {
      char c = s.charAt(i);
      seen |= (c >>> 8) | NIBBLE[c & 0xFF];
    }
    return (seen & ~0xF) == 0;
  }

  /** 16 hex digits at {@code off}, already checked by {@link #isHex}. */
  private static long hex16(String s, int off) {
    long v = 0;
    for (int i = off; i < off + 16; i++) {
      v = (v << 4) | NIBBLE[s.charAt(i) & 0xFF];
    }
    return v;
  }

  /** Whether attribute keys name secrets, remembered per key: a process has few distinct keys. */
  private final java.util.concurrent.ConcurrentHashMap<String, Boolean> sensitiveKeys =
      new java.util.concurrent.ConcurrentHashMap<>();
}
