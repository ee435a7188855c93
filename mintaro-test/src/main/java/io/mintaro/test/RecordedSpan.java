package io.mintaro.test;

import java.util.List;
import java.util.Map;

/**
 * A span as recorded. {@code kind} is {@code server}, {@code client} or {@code internal};
 * {@code status} is {@code started} (still open), {@code succeeded} or {@code failed}.
 * {@code parentSpanId} is null for a trace's root. Attribute values are shown as text;
 * {@code events} are the span's events in the order they were recorded.
 */
public record RecordedSpan(String spanId, String parentSpanId, String name, String kind, String status,
    long startUs, Long endUs, Map<String, String> attributes, RecordedError error,
    List<RecordedError> handledErrors, List<RecordedEvent> events) {

  /** The attribute's value, or null. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  /** The only event of that name; fails when there is none or more than one. */
  public RecordedEvent event(String name) {
    List<RecordedEvent> found = events.stream().filter(e -> e.name().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one event named " + name + " in span " + this.name + ", found " + events);
    }
    return found.get(0);
  }

  /** End minus start in microseconds; -1 while the span is open. */
  public long durationUs() {
    return endUs == null ? -1 : endUs - startUs;
  }
}
