package io.mintaro;

/**
 * One unit of work in a trace. A span is current on the thread that started it until it is
 * closed, so logs and outgoing calls made meanwhile belong to it. Use it with
 * try-with-resources:
 *
 * <pre>{@code
 * try (Span span = Mintaro.startSpan("charge-card")) {
 *   span.attribute("amount", amount);
 *   try {
 *     gateway.charge(card, amount);
 *   } catch (RetryableException e) {
 *     span.recordError(e); // handled: recorded, not rethrown
 *     gateway.charge(card, amount);
 *   }
 * } // closed: succeeded, unless fail(...) was called
 * }</pre>
 *
 * <p>Nothing here throws, and every method may be called after {@link #close()} without effect.
 */
public interface Span extends AutoCloseable {

  /** What a span stands for, as in OpenTelemetry: work inside the process, or one side of a call. */
  enum Kind {
    /** Work inside the process. */
    INTERNAL,
    /** Handling a request from another process. */
    SERVER,
    /** A call to another process or a database, waited for by this one. */
    CLIENT
  }

  /** The trace id: 32 lowercase hex digits. */
  String traceId();

  /** This span's id: 16 lowercase hex digits. */
  String spanId();

  Span attribute(String key, String value);

  Span attribute(String key, long value);

  Span attribute(String key, boolean value);

  /**
   * Records that something happened at this moment, with no duration of its own: a cache miss, a
   * retry, a message sent. These are OpenTelemetry's span events and Zipkin's annotations; the UI
   * marks them on the span. At most 128 per span; an empty name is ignored.
   */
  Span event(String name);

  /**
   * {@link #event(String)} with attributes, copied as text when this is called (at most 16; keys
   * and values cut to 1,024 characters).
   */
  Span event(String name, java.util.Map<String, ?> attributes);

  /** Records an error that was handled inside the span; the span's status does not change. */
  Span recordError(Throwable error);

  /** Marks the span failed with the exception that escaped it. */
  Span fail(Throwable error);

  /** Ends the span: succeeded unless {@link #fail} was called, and restores the previous span. */
  @Override
  void close();
}
