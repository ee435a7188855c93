package io.mintaro.testkit.servers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages a {@code java.util.logging} logger (and so a {@link System.Logger} of the same name,
 * which the JDK routes there) writes while it is open: for tests that check what the SDK tells the
 * operator. Close it to detach.
 */
public final class LogRecords implements AutoCloseable {
  // JUL holds loggers weakly: this reference keeps the handler's logger alive while it is open.
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private LogRecords(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Starts collecting what the logger {@code name} writes. */
  public static LogRecords of(String name) {
    return new LogRecords(name);
  }

  /** The messages written at WARNING or above so far, in order. */
  public List<String> warnings() {
    return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogRecord::getMessage).toList();
  }

  /**
   * Waits until a warning matching {@code test} was written.
   *
   * @return whether one was, within {@code timeout}
   */
  public boolean awaitWarning(Predicate<String> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (warnings().stream().anyMatch(test)) {
        return true;
      }
      Os.sleep(20);
    }
    return warnings().stream().anyMatch(test);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
