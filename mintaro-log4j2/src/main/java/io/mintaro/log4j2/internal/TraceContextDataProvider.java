package io.mintaro.log4j2.internal;

import io.mintaro.Mintaro;
import io.mintaro.logging.LogCapture;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.util.ContextDataProvider;
import org.apache.logging.log4j.util.SortedArrayStringMap;
import org.apache.logging.log4j.util.StringMap;

/**
 * Puts the logging thread's trace into each event's context data, as {@value #KEY} (the trace id),
 * while it is being built on that thread: an asynchronous logger or appender records the line on
 * another thread, where no Mintaro context is current. Found by Log4j through the ServiceLoader;
 * it adds nothing unless a Mintaro appender is running and the line is inside a trace.
 *
 * <p>Per line it allocates nothing: each logging thread keeps the maps it hands out for its
 * current context, and makes new ones only when the context changes (a new span).
 */
public final class TraceContextDataProvider implements ContextDataProvider {
  /** The context data key; its value is the trace id, and a token for the appender. */
  public static final String KEY = "mintaro.trace_id";

  private static final AtomicInteger RUNNING_APPENDERS = new AtomicInteger();
  private static final StringMap EMPTY = ContextDataFactory.emptyFrozenContextData();
  private static final ThreadLocal<Captured> CAPTURED = ThreadLocal.withInitial(Captured::new);

  /** The last context seen on one thread and what was handed out for it. */
  private static final class Captured {
    Object context;
    String token;
    Map<String, String> map;
    StringMap stringMap;
  }

  /** For the appender: context data is added only while at least one runs. */
  public static void appenderStarted() {
    RUNNING_APPENDERS.incrementAndGet();
  }

  public static void appenderStopped() {
    RUNNING_APPENDERS.decrementAndGet();
  }

  @Override
  public Map<String, String> supplyContextData() {
    Captured c = capture();
    return c == null ? Map.of() : c.map;
  }

  @Override
  public StringMap supplyStringMap() {
    Captured c = capture();
    return c == null ? EMPTY : c.stringMap;
  }

  @Override
  public Object getValue(String key) {
    if (!KEY.equals(key)) {
      return null;
    }
    Captured c = capture();
    return c == null ? null : c.token;
  }

  private static Captured capture() {
    try {
      if (RUNNING_APPENDERS.get() <= 0) {
        return null;
      }
      Object context = LogCapture.currentContext();
      if (context == null) {
        return null;
      }
      Captured c = CAPTURED.get();
      if (c.context != context) {
        String traceId = Mintaro.traceId();
        if (traceId == null) {
          return null;
        }
        // Immutable and frozen: Log4j may hand either to the event as it is.
        String token = ContextTokens.register(context, traceId);
        SortedArrayStringMap stringMap = new SortedArrayStringMap(1);
        stringMap.putValue(KEY, token);
        stringMap.freeze();
        c.map = Map.of(KEY, token);
        c.stringMap = stringMap;
        c.token = token;
        c.context = context;
      }
      return c;
    } catch (RuntimeException e) {
      return null; // never into the logging call
    }
  }
}
