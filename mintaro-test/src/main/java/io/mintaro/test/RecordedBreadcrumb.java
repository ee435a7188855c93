package io.mintaro.test;

/**
 * A record that another process took part: the {@code caller} that called this one, or the
 * {@code callee} this one called (its agent id, and the {@code host:port} that was called).
 */
public record RecordedBreadcrumb(String spanId, String role, String agentId, String authority) {}
