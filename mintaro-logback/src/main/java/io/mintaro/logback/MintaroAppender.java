package io.mintaro.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.mintaro.logging.LogCapture;

/**
 * Records every log event that happens inside a trace, at every level the logger lets through,
 * into that trace's flight recorder. Lines outside a trace are ignored. An ERROR line triggers
 * collection of its trace (configurable in the SDK). In {@code logback.xml}:
 *
 * <pre>{@code
 * <appender name="MINTARO" class="io.mintaro.logback.MintaroAppender"/>
 * <root level="DEBUG"><appender-ref ref="MINTARO"/></root>
 * }</pre>
 */
public final class MintaroAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /** Made by Logback from {@code logback.xml}, or by hand before {@code start()}. */
  public MintaroAppender() {}

  @Override
  protected void append(ILoggingEvent event) {
    if (!LogCapture.inTrace()) {
      return;
    }
    try {
      IThrowableProxy proxy = event.getThrowableProxy();
      LogCapture.record(level(event.getLevel()), event.getLoggerName(), event.getThreadName(),
          event.getTimeStamp(), event.getFormattedMessage(),
          proxy == null ? null : proxy.getClassName(),
          proxy == null ? null : proxy.getMessage(),
          proxy == null ? null : ThrowableProxyUtil.asString(proxy));
    } catch (RuntimeException e) {
      addError("Mintaro could not record a log event", e);
    }
  }

  private static System.Logger.Level level(Level level) {
    switch (level.toInt()) {
      case Level.ERROR_INT: return System.Logger.Level.ERROR;
      case Level.WARN_INT: return System.Logger.Level.WARNING;
      case Level.INFO_INT: return System.Logger.Level.INFO;
      case Level.DEBUG_INT: return System.Logger.Level.DEBUG;
      default: return System.Logger.Level.TRACE;
    }
  }
}
