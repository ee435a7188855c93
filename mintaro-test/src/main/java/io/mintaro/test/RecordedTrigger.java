package io.mintaro.test;

/**
 * A trigger the SDK admitted: the trace it asks the collector to collect, the kind
 * ({@code error}, {@code slow} or {@code manual}) and the reason shown to people.
 */
public record RecordedTrigger(String traceId, String kind, String reason) {}
