package io.mintaro.test;

import java.util.List;
import java.util.Map;

/**
 * A span as recorded. {@code kind} is {@code server}, {@code client} or {@code internal};
 * {@code status} is {@code started} (still open), {@code succeeded} or {@code failed}.
 * {@code parentSpanId} is null for a trace's root. Attribute values are shown as text.
 */
public record RecordedSpan(String spanId, String parentSpanId, String name, String kind, String status,
    long startUs, Long endUs, Map<String, String> attributes, RecordedError error,
    List<RecordedError> handledErrors) {

  /** The attribute's value, or null. */
  public String attribute(String key) {
    return attributes.get(key);
  }

  /** End minus start in microseconds; -1 while the span is open. */
  public long durationUs() {
    return endUs == null ? -1 : endUs - startUs;
  }
}
