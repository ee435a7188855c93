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
 * since no trace could ever ship them. An ERROR line triggers collection of its trace (unless the
 * SDK says not). Never throws.
 *
 * <p>A library that records a line on another thread than the one that logged it (asynchronous
 * loggers) takes {@link #currentContext()} where the line is logged and passes it to
 * {@link #record(Object, System.Logger.Level, String, String, long, CharSequence, Throwable)}.
 */
public final class LogCapture {

  private LogCapture() {}

  /** True when the calling thread is inside a trace, so the line will be kept. */
  public static boolean inTrace() {
    return ContextStorage.current() != null;
  }

  /**
   * The calling thread's place in its trace, as an opaque handle, or null outside a trace. Taking
   * it allocates nothing (it is the context itself, which never changes); it stays valid after
   * its span ends, so a line logged inside the span is recorded into it however late it arrives.
   */
  public static Object currentContext() {
    return ContextStorage.current();
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
      write(ctx, level, logger, thread, epochMillis, message, error);
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  /** Records a line with a {@link Throwable}, for libraries that keep the original. */
  public static void record(System.Logger.Level level, String logger, String thread, long epochMillis,
      String message, Throwable error) {
    record(ContextStorage.current(), level, logger, thread, epochMillis, message, error);
  }

  /**
   * Records a line into the trace of {@code context}, a handle from {@link #currentContext()};
   * nothing when it is null (the line was logged outside any trace).
   *
   * @param message read before this returns and not kept, so it may be a buffer the caller
   *     reuses for the next line (a {@code StringBuilder} is encoded without becoming a String)
   * @param error may be null
   */
  public static void record(Object context, System.Logger.Level level, String logger, String thread,
      long epochMillis, CharSequence message, Throwable error) {
    if (!(context instanceof TraceContext)) {
      return;
    }
    try {
      write((TraceContext) context, level, logger, thread, epochMillis, message, ErrorInfo.of(error));
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  private static void write(TraceContext ctx, System.Logger.Level level, String logger, String thread,
      long epochMillis, CharSequence message, ErrorInfo error) {
    // The recorder reads the message char by char; any CharSequence but the JDK's own builders is
    // read once here, so no application code runs while a record is being encoded.
    if (message != null && !(message instanceof String) && !(message instanceof StringBuilder)) {
      message = message.toString();
    }
    // The monotonic clock orders lines against spans to the microsecond; the event's own
    // millisecond stamp is kept only when the line was logged long before it got here.
    long now = Clock.nowMicros();
    long time = Math.abs(now - epochMillis * 1000) < 1_000_000 ? now : epochMillis * 1000;
    Core.ownerOf(ctx).log(ctx, LogLevels.of(level), logger, thread, time, message, error);
  }
}
