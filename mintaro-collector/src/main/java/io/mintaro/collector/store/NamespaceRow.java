package io.mintaro.collector.store;

/**
 * A namespace and its own retention, if it has one.
 *
 * @param retentionMaxAgeMs traces older than this expire, or null for the collector's default
 * @param retentionMaxBytes the oldest traces expire beyond this stored size, or null for the default
 */
public record NamespaceRow(String name, long createdAtMs, Long retentionMaxAgeMs, Long retentionMaxBytes) {
}
