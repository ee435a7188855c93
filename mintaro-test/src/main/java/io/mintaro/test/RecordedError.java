package io.mintaro.test;

/** An exception as it was recorded: its class name, message and printed stack trace. */
public record RecordedError(String type, String message, String stack) {}
