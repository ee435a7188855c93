package io.mintaro.test;

/**
 * A log line recorded in a trace. {@code level} is one of {@code ERROR}, {@code WARN},
 * {@code INFO}, {@code DEBUG} and {@code TRACE}.
 */
public record RecordedLog(String spanId, long timeUs, String level, String logger, String thread,
    String message, RecordedError error) {}
