package io.mintaro.bridge;

import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.internal.Core;
import io.mintaro.internal.LogLevels;
import io.mintaro.internal.context.Ids;
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
      if (!isId(traceId, 32) || !isId(spanId, 16)) {
        return ForeignSpan.NOOP;
      }
      long parent = isId(parentSpanId, 16) ? Ids.parseHex16(parentSpanId, 0) : 0;
      byte kindByte = kind == Span.Kind.SERVER ? Core.KIND_SERVER
          : kind == Span.Kind.CLIENT ? Core.KIND_CLIENT : Core.KIND_INTERNAL;
      return new ForeignSpan(core, Ids.parseHex16(traceId, 0), Ids.parseHex16(traceId, 16),
          Ids.parseHex16(spanId, 0), parent, kindByte, name == null ? "" : name, startEpochNanos / 1000);
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
    if (!isId(traceId, 32)) {
      return null;
    }
    long span = isId(spanId, 16) ? Ids.parseHex16(spanId, 0) : 0;
    return new TraceContext(core, Ids.parseHex16(traceId, 0), Ids.parseHex16(traceId, 16), span, null, (byte) 0);
  }

  static boolean isId(String id, int digits) {
    return id != null && id.length() == digits && Ids.isHex(id, digits) && !allZero(id);
  }

  private static boolean allZero(String id) {
    for (int i = 0; i < id.length(); i++) {
      if (id.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
