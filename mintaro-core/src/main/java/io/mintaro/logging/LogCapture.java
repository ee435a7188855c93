package io.mintaro.logging;

import io.mintaro.internal.Core;
import io.mintaro.internal.LogLevels;
import io.mintaro.internal.context.Clock;
import io.mintaro.internal.context.ContextStorage;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.recorder.ErrorInfo;

/**
 * The entry point for logging integrations (Logback, Log4j2, java.util.logging): records one log
 * line into the flight recorder of the current trace. Lines outside any trace are not kept,
 * since no trace could ever ship them. Never throws.
 */
public final class LogCapture {
  private LogCapture() {}

  /** True when the calling thread is inside a trace, so the line will be kept. */
  public static boolean inTrace() {
    return ContextStorage.current() != null;
  }

  /**
   * @param stackTrace the error's printed stack trace, when the logging library already has it
   *     as text; may be null
   */
  public static void record(System.Logger.Level level, String logger, String thread, long epochMillis,
      String message, String errorType, String errorMessage, String stackTrace) {
    TraceContext ctx = ContextStorage.current();
    if (ctx == null) {
      return;
    }
    try {
      ErrorInfo error = errorType == null ? null : new ErrorInfo(errorType, errorMessage, stackTrace);
      // The monotonic clock orders lines against spans to the microsecond; the event's own
      // millisecond stamp is kept only when the line was logged long before it got here.
      long now = Clock.nowMicros();
      long time = Math.abs(now - epochMillis * 1000) < 1_000_000 ? now : epochMillis * 1000;
      Core.ownerOf(ctx).log(ctx, LogLevels.of(level), logger, thread, time, message, error);
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  /** Records a line with a {@link Throwable}, for libraries that keep the original. */
  public static void record(System.Logger.Level level, String logger, String thread, long epochMillis,
      String message, Throwable error) {
    ErrorInfo info = ErrorInfo.of(error);
    record(level, logger, thread, epochMillis, message, info == null ? null : info.type,
        info == null ? null : info.message, info == null ? null : info.stack);
  }
}
