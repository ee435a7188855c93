package io.mintaro.collector.store;

/** A service that has registered at least one agent, and when any of its agents was last seen. */
public record ServiceRow(String name, long lastSeenAtMs) {
}
