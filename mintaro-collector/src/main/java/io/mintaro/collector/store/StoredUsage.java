package io.mintaro.collector.store;

/**
 * What a namespace stores.
 *
 * @param traces stored traces
 * @param storedBytes the sum of their {@code stored_bytes}: each trace's share of the database,
 *     estimated from its records' sizes (docs/retention.md, "What a stored byte is")
 * @param oldestCreatedAtMs when the oldest of them was stored (collector clock), or null without any
 * @param measuredAtMs when this was measured
 */
public record StoredUsage(long traces, long storedBytes, Long oldestCreatedAtMs, long measuredAtMs) {
}
