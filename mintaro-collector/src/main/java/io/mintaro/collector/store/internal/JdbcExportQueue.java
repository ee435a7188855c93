package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.ExportQueue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export queue in {@code export_queue}. The queue bound is kept in memory, per exporter, from
 * the rows counted at {@link #configure} and the changes committed since; with several collectors
 * on one database each bounds its own additions.
 */
final class JdbcExportQueue implements ExportQueue {
    private static final Logger log = LoggerFactory.getLogger(JdbcExportQueue.class);

    /** Per exporter: pending rows and traces skipped because the queue was full. */
    private static final class Counter {
        long pending;
        long skipped;
    }

    private final Transactions db;
    private final String due;
    private final String requeue;
    private final String prune;
    // Guarded by this.
    private Map<String, Counter> counters = Map.of();
    private List<String> reexportLate = List.of();
    private long maxPending;
    private volatile long lastFullWarningMs;
    private volatile Runnable listener = () -> { };

    JdbcExportQueue(Transactions db) {
        this.db = db;
        Dialect d = db.dialect();
        this.due = "SELECT trace_id, attempts, enqueued_at_ms FROM export_queue" + d.indexedBy("export_queue_due")
                + " WHERE exporter = ? AND next_attempt_at_ms IS NOT NULL AND next_attempt_at_ms <= ?"
                + " ORDER BY next_attempt_at_ms LIMIT ?" + d.skipLocked();
        this.requeue = "UPDATE export_queue SET enqueued_at_ms = " + d.greatest("?", "enqueued_at_ms + 1")
                + " WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL";
        this.prune = "DELETE FROM export_queue WHERE exporter = ? AND trace_id IN ("
                + "SELECT trace_id FROM export_queue" + d.indexedBy("export_queue_dead")
                + " WHERE exporter = ? AND dead_at_ms IS NOT NULL ORDER BY dead_at_ms DESC, trace_id DESC "
                + d.unlimited() + " OFFSET ?)";
    }

    @Override
    public void configure(List<String> exporters, Collection<String> late, long max) throws SQLException {
        Map<String, Counter> fresh = db.read(c -> {
            Map<String, Counter> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM export_queue WHERE exporter = ? AND next_attempt_at_ms IS NOT NULL")) {
                for (String e : exporters) {
                    ps.setString(1, e);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        Counter counter = new Counter();
                        counter.pending = rs.getLong(1);
                        out.put(e, counter);
                    }
                }
            }
            return out;
        });
        synchronized (this) {
            this.counters = fresh;
            this.reexportLate = List.copyOf(late);
            this.maxPending = max;
        }
    }

    @Override
    public void onQueued(Runnable listener) {
        this.listener = listener;
    }

    private synchronized List<String> exporters() {
        return List.copyOf(counters.keySet());
    }

    private synchronized List<String> lateExporters() {
        return reexportLate;
    }

    /** Queues traces that just completed for every exporter, in {@code tx}. */
    void enqueue(Tx tx, List<String> traceIds, long nowMs) throws SQLException {
        if (traceIds.isEmpty()) {
            return;
        }
        for (String exporter : exporters()) {
            int added = 0;
            for (String traceId : traceIds) {
                added += enqueue(tx, exporter, traceId, nowMs, added);
            }
        }
    }

    /** Queues one trace for one exporter unless a row (pending or dead) exists or the queue is full. */
    private int enqueue(Tx tx, String exporter, String traceId, long nowMs, int addedInTx) throws SQLException {
        long pending;
        synchronized (this) {
            Counter c = counters.get(exporter);
            if (c == null) {
                return 0;
            }
            pending = c.pending + addedInTx;
            if (pending >= maxPending) {
                c.skipped++;
                long skipped = c.skipped;
                if (nowMs - lastFullWarningMs > 10_000) {
                    lastFullWarningMs = nowMs;
                    log.warn("export queue of {} is full ({} traces waiting): trace {} is stored but not "
                            + "exported ({} skipped so far)", exporter, pending, traceId, skipped);
                }
                return 0;
            }
        }
        PreparedStatement ps = tx.get("""
                INSERT INTO export_queue(trace_id, exporter, enqueued_at_ms, attempts, next_attempt_at_ms)
                VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING""");
        ps.setString(1, traceId);
        ps.setString(2, exporter);
        ps.setLong(3, nowMs);
        ps.setLong(4, nowMs);
        int n = ps.executeUpdate();
        if (n > 0) {
            tx.afterCommit(() -> changePending(exporter, n));
            tx.afterCommit(listener());
        }
        return n;
    }

    private Runnable listener() {
        Runnable l = listener;
        return l::run;
    }

    private synchronized void changePending(String exporter, long delta) {
        Counter c = counters.get(exporter);
        if (c != null) {
            c.pending = Math.max(0, c.pending + delta);
        }
    }

    /** Removes every row of a trace that retention deletes, in {@code tx}: its exports are not due any more. */
    void forget(Tx tx, String traceId) throws SQLException {
        PreparedStatement waiting = tx.get(
                "SELECT exporter FROM export_queue WHERE trace_id = ? AND next_attempt_at_ms IS NOT NULL");
        waiting.setString(1, traceId);
        try (ResultSet rs = waiting.executeQuery()) {
            while (rs.next()) {
                String exporter = rs.getString(1);
                tx.afterCommit(() -> changePending(exporter, -1));
            }
        }
        PreparedStatement delete = tx.get("DELETE FROM export_queue WHERE trace_id = ?");
        delete.setString(1, traceId);
        delete.executeUpdate();
    }

    /**
     * Late records of complete traces: each exporter that re-exports gets the trace again. A
     * waiting row gets a later {@code enqueued_at_ms}, always a new value, which is what
     * {@link #done} compares: an export that read the trace before these records does not remove
     * the row.
     */
    void requeueLate(Tx tx, Collection<String> traceIds, long nowMs) throws SQLException {
        if (traceIds.isEmpty()) {
            return;
        }
        for (String exporter : lateExporters()) {
            int added = 0;
            PreparedStatement touch = tx.get(requeue);
            for (String traceId : traceIds) {
                touch.setLong(1, nowMs);
                touch.setString(2, traceId);
                touch.setString(3, exporter);
                if (touch.executeUpdate() > 0) {
                    tx.afterCommit(listener());
                } else {
                    added += enqueue(tx, exporter, traceId, nowMs, added);
                }
            }
        }
    }

    @Override
    public List<Entry> claim(String exporter, long nowMs, int limit, long leaseMs) throws SQLException {
        return db.write(tx -> {
            List<Entry> out = new ArrayList<>();
            PreparedStatement ps = tx.get(due);
            ps.setString(1, exporter);
            ps.setLong(2, nowMs);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getInt(2), rs.getLong(3)));
                }
            }
            PreparedStatement lease = tx.get(
                    "UPDATE export_queue SET next_attempt_at_ms = ? WHERE trace_id = ? AND exporter = ?");
            for (Entry e : out) {
                lease.setLong(1, nowMs + leaseMs);
                lease.setString(2, e.traceId());
                lease.setString(3, exporter);
                lease.executeUpdate();
            }
            return out;
        });
    }

    @Override
    public void release(String exporter, Collection<String> traceIds, long nowMs) throws SQLException {
        db.write(tx -> {
            PreparedStatement ps = tx.get("""
                    UPDATE export_queue SET next_attempt_at_ms = ?
                    WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL""");
            for (String id : traceIds) {
                ps.setLong(1, nowMs);
                ps.setString(2, id);
                ps.setString(3, exporter);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void done(String exporter, Collection<Entry> done) throws SQLException {
        db.write(tx -> {
            PreparedStatement ps = tx.get("""
                    DELETE FROM export_queue WHERE trace_id = ? AND exporter = ? AND enqueued_at_ms = ?
                      AND next_attempt_at_ms IS NOT NULL""");
            // A row queued again since it was claimed (late records) stays, and is due at once:
            // its claim is over.
            PreparedStatement again = tx.get("UPDATE export_queue SET next_attempt_at_ms = ?"
                    + " WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL");
            long removed = 0;
            for (Entry q : done) {
                ps.setString(1, q.traceId());
                ps.setString(2, exporter);
                ps.setLong(3, q.enqueuedAtMs());
                int n = ps.executeUpdate();
                removed += n;
                if (n == 0) {
                    again.setLong(1, System.currentTimeMillis());
                    again.setString(2, q.traceId());
                    again.setString(3, exporter);
                    again.executeUpdate();
                }
            }
            long n = removed;
            tx.afterCommit(() -> changePending(exporter, -n));
            return null;
        });
    }

    @Override
    public void retry(String exporter, Collection<String> traceIds, long nextAttemptAtMs, String error)
            throws SQLException {
        db.write(tx -> {
            PreparedStatement ps = tx.get("""
                    UPDATE export_queue SET attempts = attempts + 1, next_attempt_at_ms = ?, last_error = ?
                    WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL""");
            for (String id : traceIds) {
                ps.setLong(1, nextAttemptAtMs);
                ps.setString(2, Rows.cut(error));
                ps.setString(3, id);
                ps.setString(4, exporter);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void dead(String exporter, Collection<String> traceIds, String error, long nowMs) throws SQLException {
        db.write(tx -> {
            PreparedStatement ps = tx.get("""
                    UPDATE export_queue SET attempts = attempts + 1, next_attempt_at_ms = NULL, last_error = ?,
                      dead_at_ms = ?
                    WHERE trace_id = ? AND exporter = ? AND next_attempt_at_ms IS NOT NULL""");
            long moved = 0;
            for (String id : traceIds) {
                ps.setString(1, Rows.cut(error));
                ps.setLong(2, nowMs);
                ps.setString(3, id);
                ps.setString(4, exporter);
                moved += ps.executeUpdate();
            }
            long n = moved;
            tx.afterCommit(() -> changePending(exporter, -n));
            PreparedStatement old = tx.get(prune);
            old.setString(1, exporter);
            old.setString(2, exporter);
            old.setInt(3, MAX_DEAD_LETTERS);
            old.executeUpdate();
            return null;
        });
    }

    @Override
    public Stats stats(String exporter) throws SQLException {
        long skipped;
        synchronized (this) {
            Counter c = counters.get(exporter);
            skipped = c == null ? 0 : c.skipped;
        }
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(next_attempt_at_ms), count(*) - count(next_attempt_at_ms),
                      min(CASE WHEN next_attempt_at_ms IS NOT NULL THEN enqueued_at_ms END)
                    FROM export_queue WHERE exporter = ?""")) {
                ps.setString(1, exporter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Stats(rs.getLong(1), rs.getLong(2), Rows.nullableLong(rs, 3), skipped);
                }
            }
        });
    }
}
