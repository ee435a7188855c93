package io.mintaro.collector.store;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Completed traces waiting for each exporter. Traces are queued in the transaction that completes
 * them (or stores late records of them), so a crash never loses an export.
 */
public interface ExportQueue {

    /** A queued export: its trace and how many attempts failed so far. */
    record Entry(String traceId, int attempts, long enqueuedAtMs) {
    }

    /** The state of one exporter's queue. */
    record Stats(long pending, long deadLetters, Long oldestPendingEnqueuedAtMs, long skipped) {
    }

    /** Most dead letters kept per exporter; older ones are deleted. */
    int MAX_DEAD_LETTERS = 10_000;

    /**
     * Names the exporters that completed traces are queued for, and bounds each one's queue:
     * past {@code maxPending} waiting traces, a newly completed trace is not queued for that
     * exporter (it stays stored; the skip is counted and logged). Rows of exporters not named are
     * kept, untouched, for when they are configured again.
     *
     * @param reexportLate the exporters (of {@code exporters}) that get a trace again, whole, when
     *     late records of it are stored
     */
    void configure(List<String> exporters, Collection<String> reexportLate, long maxPending) throws SQLException;

    /** Called after a commit that queued exports (outside any transaction). */
    void onQueued(Runnable listener);

    /**
     * Claims up to {@code limit} exports of {@code exporter} due at {@code nowMs}, oldest due first,
     * for {@code leaseMs}: no other collector on the database takes them meanwhile. A claim that is
     * neither {@link #done}, {@link #retry retried}, {@link #dead} nor {@link #release released} by
     * then (its collector died) is due again: exports are at least once.
     */
    List<Entry> claim(String exporter, long nowMs, int limit, long leaseMs) throws SQLException;

    /** Gives claimed exports back, due at {@code nowMs} (a collector stopping in the middle of one). */
    void release(String exporter, Collection<String> traceIds, long nowMs) throws SQLException;

    /** Removes exports that are done, each as {@link #claim} read it: a row queued again since stays. */
    void done(String exporter, Collection<Entry> done) throws SQLException;

    /** Counts a failed attempt; the export is due again at {@code nextAttemptAtMs}. */
    void retry(String exporter, Collection<String> traceIds, long nextAttemptAtMs, String error) throws SQLException;

    /** Gives up on exports: they stay as dead letters (at most {@value #MAX_DEAD_LETTERS} per exporter). */
    void dead(String exporter, Collection<String> traceIds, String error, long nowMs) throws SQLException;

    /** Counts of {@code exporter}'s queue. */
    Stats stats(String exporter) throws SQLException;
}
