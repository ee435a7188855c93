package io.mintaro.spring.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.mintaro.logback.MintaroAppender;
import io.mintaro.logging.LogCapture;
import java.util.Iterator;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.logging.LogLevel;

/**
 * Attaches {@link MintaroAppender} to the root logger of Boot's Logback, once per logger context
 * (Boot resets the context when another application starts in the JVM, so each start checks
 * again). An appender the application declared itself in {@code logback-spring.xml} is used as is.
 *
 * <p>With a capture level ({@code mintaro.logging.level=DEBUG}), lines at that level or above are
 * let through inside traces even where the logger's level is higher, and every other appender is
 * given a filter that drops exactly those lines again: the console shows what it showed before.
 * Outside traces nothing changes.
 */
final class LogbackCapture implements InitializingBean, DisposableBean {
  private final LogLevel captureLevel;
  private LoggerContext context;
  private CaptureBelowLoggerLevel turbo;

  LogbackCapture(LogLevel captureLevel) {
    this.captureLevel = captureLevel;
  }

  @Override
  public void afterPropertiesSet() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // Logback is on the class path but not the logging backend
    }
    this.context = context;
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (!hasMintaroAppender(root)) {
      MintaroAppender appender = new MintaroAppender();
      appender.setName("MINTARO");
      appender.setContext(context);
      appender.start();
      root.addAppender(appender);
    }
    context.getTurboFilterList().removeIf(f -> f instanceof CaptureBelowLoggerLevel);
    Level level = level(captureLevel);
    if (level != null) {
      turbo = new CaptureBelowLoggerLevel(level);
      turbo.setContext(context);
      turbo.start();
      context.addTurboFilter(turbo);
      for (Logger logger : context.getLoggerList()) {
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
          Appender<ILoggingEvent> appender = it.next();
          if (!(appender instanceof MintaroAppender)
              && appender.getCopyOfAttachedFiltersList().stream().noneMatch(f -> f instanceof AtLoggerLevel)) {
            AtLoggerLevel filter = new AtLoggerLevel(context);
            filter.start();
            appender.addFilter(filter);
          }
        }
      }
    }
  }

  /**
   * Takes the capture level back: the application is gone. The appender stays, as it may serve
   * another application of the JVM, and records nothing outside traces.
   */
  @Override
  public void destroy() {
    if (context != null && turbo != null) {
      context.getTurboFilterList().remove(turbo);
      turbo.stop();
    }
  }

  private static boolean hasMintaroAppender(Logger root) {
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof MintaroAppender) {
        return true;
      }
    }
    return false;
  }

  private static Level level(LogLevel level) {
    if (level == null) {
      return null;
    }
    return switch (level) {
      case TRACE -> Level.TRACE;
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case ERROR, FATAL -> Level.ERROR;
      case OFF -> null;
    };
  }

  /** Lets lines of the capture level through inside a trace, where the logger alone would drop them. */
  static final class CaptureBelowLoggerLevel extends TurboFilter {
    private final Level captureLevel;

    CaptureBelowLoggerLevel(Level captureLevel) {
      this.captureLevel = captureLevel;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
      if (level == null || logger == null || !level.isGreaterOrEqual(captureLevel)) {
        return FilterReply.NEUTRAL;
      }
      Level loggerLevel = logger.getEffectiveLevel();
      if (level.isGreaterOrEqual(loggerLevel) || loggerLevel == Level.OFF) {
        return FilterReply.NEUTRAL; // logged anyway, or switched off on purpose
      }
      try {
        return LogCapture.inTrace() ? FilterReply.ACCEPT : FilterReply.NEUTRAL;
      } catch (RuntimeException e) {
        return FilterReply.NEUTRAL;
      }
    }
  }

  /** Drops, for an appender that is not Mintaro's, the lines its logger's own level would have dropped. */
  static final class AtLoggerLevel extends Filter<ILoggingEvent> {
    private final LoggerContext context;

    AtLoggerLevel(LoggerContext context) {
      this.context = context;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
      Level level = event.getLevel();
      Level loggerLevel = context.getLogger(event.getLoggerName()).getEffectiveLevel();
      return level.isGreaterOrEqual(loggerLevel) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
  }
}
