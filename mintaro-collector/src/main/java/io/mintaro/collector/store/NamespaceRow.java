package io.mintaro.collector.store;

/**
 * A namespace, its own retention if it has one, and what it stored when retention last measured it.
 *
 * @param retentionMaxAgeMs traces older than this expire, or null for the collector's default
 * @param retentionMaxBytes the oldest traces expire beyond this stored size, or null for the default
 * @param usage what the last retention run measured, or null before the first
 */
public record NamespaceRow(String name, long createdAtMs, Long retentionMaxAgeMs, Long retentionMaxBytes,
                           StoredUsage usage) {
}
