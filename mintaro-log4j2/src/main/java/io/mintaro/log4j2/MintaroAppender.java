package io.mintaro.log4j2;

import io.mintaro.log4j2.internal.ContextTokens;
import io.mintaro.log4j2.internal.TraceContextDataProvider;
import io.mintaro.logging.LogCapture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.StringBuilderFormattable;

/**
 * Records every Log4j2 event that happens inside a trace, at every level the loggers let through,
 * into that trace's flight recorder. Lines outside a trace are ignored before anything is
 * formatted. An ERROR line triggers collection of its trace (configurable in the SDK). In
 * {@code log4j2.xml}, with no {@code packages} attribute needed:
 *
 * <pre>{@code
 * <Appenders><Mintaro name="MINTARO"/></Appenders>
 * <Loggers><Root level="DEBUG"><AppenderRef ref="MINTARO"/></Root></Loggers>
 * }</pre>
 *
 * <p>Asynchronous loggers and appenders work too: each event carries its trace from the thread
 * that logged it, in its context data as {@code mintaro.trace_id}.
 */
@Plugin(name = "Mintaro", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
public final class MintaroAppender extends AbstractAppender {
  /** A thread keeps at most this much formatting room between lines. */
  private static final int KEEP_CHARS = 16 * 1024;
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** One thread's formatting buffer, and whether it is inside this appender already. */
  private static final class Scratch {
    StringBuilder text = new StringBuilder(256);
    boolean busy;
  }

  /** Whether this appender counts among the running ones that make events carry their trace. */
  private boolean counted;

  private MintaroAppender(String name, Filter filter, Property[] properties) {
    super(name, filter, null, true, properties);
  }

  /** The builder Log4j uses for {@code <Mintaro name="..."/>}; also for programmatic setup. */
  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builds a {@link MintaroAppender}: a name, and optionally filters and properties. */
  public static final class Builder extends AbstractAppender.Builder<Builder>
      implements org.apache.logging.log4j.core.util.Builder<MintaroAppender> {
    private Builder() {}

    @Override
    public MintaroAppender build() {
      return new MintaroAppender(getName(), getFilter(), getPropertyArray());
    }
  }

  @Override
  public void start() {
    synchronized (this) {
      if (!counted) {
        counted = true;
        TraceContextDataProvider.appenderStarted();
      }
    }
    super.start();
  }

  @Override
  protected boolean stop(long timeout, TimeUnit unit, boolean changeLifeCycleState) {
    boolean stopped = super.stop(timeout, unit, changeLifeCycleState);
    synchronized (this) {
      if (counted) {
        counted = false;
        TraceContextDataProvider.appenderStopped();
      }
    }
    return stopped;
  }

  @Override
  public void append(LogEvent event) {
    Object context = contextOf(event);
    if (context == null) {
      return; // outside any trace: nothing formatted, nothing recorded
    }
    Scratch scratch = SCRATCH.get();
    if (scratch.busy) {
      return; // logged while formatting a line of this thread: never recurse
    }
    scratch.busy = true;
    try {
      LogCapture.record(context, level(event.getLevel()), event.getLoggerName(), event.getThreadName(),
          event.getTimeMillis(), text(event.getMessage(), scratch), event.getThrown());
    } catch (RuntimeException e) {
      error("Mintaro could not record a log event", event, e);
    } finally {
      if (scratch.text.capacity() > KEEP_CHARS) {
        scratch.text = new StringBuilder(256);
      }
      scratch.busy = false;
    }
  }

  /**
   * The trace the event was logged in. On the thread that logged it (synchronous loggers) that is
   * the current one; on another (asynchronous loggers and appenders) the one it carries.
   */
  private static Object contextOf(LogEvent event) {
    try {
      if (event.getThreadId() == Thread.currentThread().getId()) {
        return LogCapture.currentContext();
      }
      return ContextTokens.resolve(event.getContextData().getValue(TraceContextDataProvider.KEY));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The formatted message. Formattable messages, Log4j's reusable ones and the events of its
   * garbage-free and asynchronous paths included, are formatted into this thread's buffer, so
   * the line never becomes a String; others are asked for their text.
   */
  private static CharSequence text(Message message, Scratch scratch) {
    if (message == null) {
      return null;
    }
    if (message instanceof StringBuilderFormattable) {
      StringBuilder text = scratch.text;
      text.setLength(0);
      ((StringBuilderFormattable) message).formatTo(text);
      return text;
    }
    return message.getFormattedMessage();
  }

  private static System.Logger.Level level(Level level) {
    int value = level.intLevel(); // lower is more severe; custom levels fall between
    if (value <= Level.ERROR.intLevel()) {
      return System.Logger.Level.ERROR;
    }
    if (value <= Level.WARN.intLevel()) {
      return System.Logger.Level.WARNING;
    }
    if (value <= Level.INFO.intLevel()) {
      return System.Logger.Level.INFO;
    }
    if (value <= Level.DEBUG.intLevel()) {
      return System.Logger.Level.DEBUG;
    }
    return System.Logger.Level.TRACE;
  }
}
