package io.mintaro.internal.recorder;

import java.util.Map;

/** A timestamped event in a span (OpenTelemetry's span events, Zipkin's annotations). */
public final class SpanEvent {
  public static final int MAX_ATTRIBUTES = 16;
  private static final String[] NONE = new String[0];

  public final long timeUs;
  public final String name;
  /** Keys and values alternating, as text. */
  public final String[] attributes;

  public SpanEvent(long timeUs, String name, String[] attributes) {
    this.timeUs = timeUs;
    this.name = name == null ? "" : name;
    this.attributes = attributes == null ? NONE : attributes;
  }

  /**
   * The array to add one more event to, grown when full: {@code events} itself, a larger copy, or
   * null when a span already holds {@link RecordWriter#MAX_EVENTS}.
   */
  public static SpanEvent[] roomForOne(SpanEvent[] events, int count) {
    if (events == null) {
      return new SpanEvent[4];
    }
    if (count < events.length) {
      return events;
    }
    return count >= RecordWriter.MAX_EVENTS ? null
        : java.util.Arrays.copyOf(events, Math.min(count * 2, RecordWriter.MAX_EVENTS));
  }

  /** Copies at most {@link #MAX_ATTRIBUTES} entries as text; never throws on a hostile map. */
  public static SpanEvent of(long timeUs, String name, Map<String, ?> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return new SpanEvent(timeUs, name, NONE);
    }
    String[] pairs = new String[Math.min(attributes.size(), MAX_ATTRIBUTES) * 2];
    int n = 0;
    try {
      for (Map.Entry<String, ?> e : attributes.entrySet()) {
        if (n == pairs.length) {
          break;
        }
        if (e.getKey() != null) {
          pairs[n++] = e.getKey();
          pairs[n++] = String.valueOf(e.getValue());
        }
      }
    } catch (RuntimeException e) {
      // a map that fails while iterated keeps what was read
    }
    return new SpanEvent(timeUs, name, n == pairs.length ? pairs : java.util.Arrays.copyOf(pairs, n));
  }
}
