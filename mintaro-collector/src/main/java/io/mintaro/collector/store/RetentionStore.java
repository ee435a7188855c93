package io.mintaro.collector.store;

import java.sql.SQLException;

/**
 * Expiry of stored traces, one namespace and one small transaction at a time, so that deleting
 * never holds up ingest for longer than one chunk (docs/retention.md).
 *
 * <p>An expired trace is deleted with every row that belongs to it: records, triggers,
 * breadcrumbs, its retrieval's state and its export rows. Its error group keeps it as a counted
 * occurrence (in the minute it started), so that groups, their counts and their triage outlive
 * their traces.
 */
public interface RetentionStore {
    /** Traces one expiring call deletes at most (a few tens of milliseconds of SQLite's writer). */
    int CHUNK = 25;

    /** What one expiring call deleted: traces, and their stored bytes. */
    record Expired(int traces, long storedBytes) {
        public static final Expired NONE = new Expired(0, 0);
    }

    /**
     * Measures what {@code namespace} stores now, from one index (no record is read).
     */
    StoredUsage measure(String namespace, long nowMs) throws SQLException;

    /** Records {@code usage} on the namespace, for {@link NamespaceRow#usage()}. */
    void record(String namespace, StoredUsage usage) throws SQLException;

    /**
     * Deletes up to {@value #CHUNK} traces of {@code namespace} stored before {@code createdBeforeMs},
     * oldest first.
     */
    Expired expireBefore(String namespace, long createdBeforeMs) throws SQLException;

    /**
     * Deletes the oldest traces of {@code namespace}, up to {@value #CHUNK}, until at least
     * {@code bytes} stored bytes are freed.
     */
    Expired expireOldest(String namespace, long bytes) throws SQLException;
}
