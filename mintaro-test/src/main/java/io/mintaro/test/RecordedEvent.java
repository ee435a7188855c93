package io.mintaro.test;

import java.util.Map;

/** A span event as recorded: when, what, and its attributes as text. */
public record RecordedEvent(long timeUs, String name, Map<String, String> attributes) {

  /** The attribute's value, or null. */
  public String attribute(String key) {
    return attributes.get(key);
  }
}
