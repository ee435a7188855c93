package io.mintaro.jul;

import io.mintaro.logging.LogCapture;
import java.util.logging.ErrorManager;
import java.util.logging.Filter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * Records every java.util.logging record published inside a trace, at every level the loggers
 * let through, into that trace's flight recorder. Records outside a trace are ignored before
 * anything is formatted. A SEVERE record triggers collection of its trace (configurable in the
 * SDK). In {@code logging.properties}:
 *
 * <pre>{@code
 * handlers = java.util.logging.ConsoleHandler, io.mintaro.jul.MintaroHandler
 * io.mintaro.jul.MintaroHandler.level = ALL
 * }</pre>
 *
 * <p>Properties, all optional: {@code io.mintaro.jul.MintaroHandler.level} (default {@code ALL}:
 * the loggers' own levels decide) and {@code io.mintaro.jul.MintaroHandler.filter} (a
 * {@link Filter} class name). The message is formatted as {@link Formatter#formatMessage} does
 * (resource bundle, then {@code {0}} parameters), by the handler's formatter when one is set.
 */
public class MintaroHandler extends Handler {
  /** Formats nothing but the message: {@link Formatter#formatMessage} as the JDK implements it. */
  private static final Formatter MESSAGE_ONLY = new Formatter() {
    @Override
    public String format(LogRecord record) {
      return formatMessage(record);
    }
  };
  private static final ThreadLocal<boolean[]> PUBLISHING = ThreadLocal.withInitial(() -> new boolean[1]);

  /** Configured from the LogManager's properties, as the JDK's own handlers are. */
  public MintaroHandler() {
    LogManager manager = LogManager.getLogManager();
    String prefix = getClass().getName();
    setLevel(level(manager.getProperty(prefix + ".level")));
    Filter filter = filter(manager.getProperty(prefix + ".filter"));
    if (filter != null) {
      setFilter(filter);
    }
  }

  @Override
  public void publish(LogRecord record) {
    Object context = LogCapture.currentContext();
    if (context == null || record == null) {
      return; // outside any trace: nothing formatted, nothing recorded
    }
    boolean[] publishing = PUBLISHING.get();
    if (publishing[0]) {
      return; // logged while formatting a record of this thread: never recurse
    }
    publishing[0] = true;
    try {
      if (!isLoggable(record)) {
        return;
      }
      LogCapture.record(context, level(record.getLevel()), loggerName(record), thread(record),
          record.getMillis(), message(record), record.getThrown());
    } catch (RuntimeException e) {
      reportError("Mintaro could not record a log record", e, ErrorManager.WRITE_FAILURE);
    } finally {
      publishing[0] = false;
    }
  }

  /** Nothing is buffered: records go straight into the flight recorder. */
  @Override
  public void flush() {}

  /** Stops recording; the flight recorder belongs to the SDK and stays. */
  @Override
  public void close() {
    setLevel(Level.OFF);
  }

  private String message(LogRecord record) {
    Formatter formatter = getFormatter();
    return (formatter == null ? MESSAGE_ONLY : formatter).formatMessage(record);
  }

  private static String loggerName(LogRecord record) {
    String name = record.getLoggerName();
    return name == null ? "" : name;
  }

  /** The thread that logged, by name when it is the one publishing (the usual case). */
  private static String thread(LogRecord record) {
    Thread current = Thread.currentThread();
    long id = record.getLongThreadID();
    return id == current.getId() ? current.getName() : "thread-" + id;
  }

  private static System.Logger.Level level(Level level) {
    int value = level.intValue(); // custom levels fall in with the next standard one below
    if (value >= Level.SEVERE.intValue()) {
      return System.Logger.Level.ERROR;
    }
    if (value >= Level.WARNING.intValue()) {
      return System.Logger.Level.WARNING;
    }
    if (value >= Level.CONFIG.intValue()) {
      return System.Logger.Level.INFO;
    }
    if (value >= Level.FINE.intValue()) {
      return System.Logger.Level.DEBUG;
    }
    return System.Logger.Level.TRACE;
  }

  private Level level(String property) {
    if (property == null || property.isBlank()) {
      return Level.ALL;
    }
    try {
      return Level.parse(property.trim());
    } catch (IllegalArgumentException e) {
      reportError("Mintaro: unknown level '" + property + "', recording ALL", e, ErrorManager.GENERIC_FAILURE);
      return Level.ALL;
    }
  }

  private Filter filter(String property) {
    if (property == null || property.isBlank()) {
      return null;
    }
    try {
      Class<?> type = ClassLoader.getSystemClassLoader().loadClass(property.trim());
      return (Filter) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      reportError("Mintaro: cannot create filter '" + property + "'", e, ErrorManager.GENERIC_FAILURE);
      return null;
    }
  }
}
