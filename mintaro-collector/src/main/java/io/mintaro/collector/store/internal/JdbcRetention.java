package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.RetentionStore;
import io.mintaro.collector.store.StoredUsage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Expiry over {@code traces_by_created}. Each call is one write transaction of at most
 * {@link #CHUNK} traces: it takes the traces' locks (as ingest does, so that a batch of the same
 * trace waits or comes after), reads which of them are still there (another replica may have
 * deleted them), moves each one's occurrence into {@code group_counts} and its share of its
 * services' activity into {@code expired_activity}, and deletes its rows.
 */
final class JdbcRetention implements RetentionStore {
    /** The tables whose rows belong to one trace, keyed by its storage key; {@code traces} goes last. */
    private static final List<String> TRACE_TABLES = List.of("spans", "messages", "logs", "breadcrumbs", "triggers",
            "counted_triggers", "collection_asks", "collection_callees", "trace_tags");

    private final Transactions db;
    private final JdbcExportQueue exports;
    private final Counts counts;
    private final String oldestBefore;
    private final String oldest;
    private final String usage;

    JdbcRetention(Transactions db, JdbcExportQueue exports) {
        this.db = db;
        this.exports = exports;
        this.counts = new Counts(db.dialect());
        String index = db.dialect().indexedBy("traces_by_created");
        this.oldestBefore = "SELECT trace_id FROM traces" + index
                + " WHERE namespace = ? AND created_at_ms < ? ORDER BY created_at_ms, trace_id LIMIT " + CHUNK;
        this.oldest = "SELECT trace_id, stored_bytes FROM traces" + index
                + " WHERE namespace = ? ORDER BY created_at_ms, trace_id LIMIT " + CHUNK;
        this.usage = "SELECT count(*), coalesce(sum(stored_bytes), 0), min(created_at_ms) FROM traces" + index
                + " WHERE namespace = ?";
    }

    @Override
    public StoredUsage measure(String namespace, long nowMs) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(usage)) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new StoredUsage(rs.getLong(1), rs.getLong(2), Rows.nullableLong(rs, 3), nowMs);
                }
            }
        });
    }

    @Override
    public void record(String namespace, StoredUsage u) throws SQLException {
        db.write(w -> {
            PreparedStatement ps = w.get("UPDATE namespaces SET usage_traces = ?, usage_bytes = ?, usage_at_ms = ?,"
                    + " usage_oldest_ms = ? WHERE name = ?");
            ps.setLong(1, u.traces());
            ps.setLong(2, u.storedBytes());
            ps.setLong(3, u.measuredAtMs());
            Rows.setLong(ps, 4, u.oldestCreatedAtMs());
            ps.setString(5, namespace);
            return ps.executeUpdate();
        });
    }

    @Override
    public Expired expireBefore(String namespace, long createdBeforeMs) throws SQLException {
        return db.write(w -> {
            PreparedStatement ps = w.get(oldestBefore);
            ps.setString(1, namespace);
            ps.setLong(2, createdBeforeMs);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return delete(w, namespace, ids);
        });
    }

    @Override
    public Expired expireOldest(String namespace, long bytes) throws SQLException {
        if (bytes <= 0) {
            return Expired.NONE;
        }
        return db.write(w -> {
            PreparedStatement ps = w.get(oldest);
            ps.setString(1, namespace);
            List<String> ids = new ArrayList<>();
            long freed = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (freed < bytes && rs.next()) {
                    ids.add(rs.getString(1));
                    freed += rs.getLong(2);
                }
            }
            return delete(w, namespace, ids);
        });
    }

    private Expired delete(Tx w, String namespace, List<String> candidates) throws SQLException {
        if (candidates.isEmpty()) {
            return Expired.NONE;
        }
        TreeSet<String> sorted = new TreeSet<>(candidates);
        w.dialect().lockTraces(w, sorted);
        PreparedStatement read = w.get("""
                SELECT fingerprint, group_service, group_endpoint, group_problem, group_kind, started_at_us,
                       triggered_at_ms, created_at_ms, stored_bytes, trigger_service, status
                FROM traces WHERE trace_id = ? AND namespace = ?""");
        PreparedStatement triggers = w.get("SELECT service, received_at_ms FROM triggers WHERE trace_id = ?");
        PreparedStatement deleteTrace = w.get("DELETE FROM traces WHERE trace_id = ?");
        Counts.Deltas occurrences = counts.new Deltas(namespace);
        // Per service and minute: triggers, error traces, stored traces (as JdbcStats counts them).
        Map<ServiceMinute, long[]> activity = new TreeMap<>();
        int traces = 0;
        long bytes = 0;
        for (String traceId : sorted) {
            read.setString(1, traceId);
            read.setString(2, namespace);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    continue;
                }
                String fingerprint = rs.getString(1);
                if (fingerprint != null) {
                    long atMs = occurredAtMs(Rows.nullableLong(rs, 6), Rows.nullableLong(rs, 7), rs.getLong(8));
                    occurrences.addExpired(fingerprint, rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), atMs);
                }
                bytes += rs.getLong(9);
                String triggerService = rs.getString(10);
                if (triggerService != null) {
                    ServiceMinute row = new ServiceMinute(triggerService, Counts.minute(rs.getLong(8)));
                    long[] a = activity.computeIfAbsent(row, k -> new long[3]);
                    a[1] += "error".equals(rs.getString(11)) ? 1 : 0;
                    a[2]++;
                }
            }
            triggers.setString(1, traceId);
            try (ResultSet rs = triggers.executeQuery()) {
                while (rs.next()) {
                    activity.computeIfAbsent(new ServiceMinute(rs.getString(1), Counts.minute(rs.getLong(2))),
                            k -> new long[3])[0]++;
                }
            }
            for (String table : TRACE_TABLES) {
                PreparedStatement ps = w.get("DELETE FROM " + table + " WHERE trace_id = ?");
                ps.setString(1, traceId);
                ps.executeUpdate();
            }
            exports.forget(w, traceId);
            deleteTrace.setString(1, traceId);
            deleteTrace.executeUpdate();
            traces++;
        }
        occurrences.apply(w);
        PreparedStatement keep = w.get("""
                INSERT INTO expired_activity(namespace, service, minute_ms, triggers, errors, stored)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(namespace, service, minute_ms) DO UPDATE SET
                  triggers = expired_activity.triggers + excluded.triggers,
                  errors = expired_activity.errors + excluded.errors,
                  stored = expired_activity.stored + excluded.stored""");
        for (Map.Entry<ServiceMinute, long[]> e : activity.entrySet()) {
            keep.setString(1, namespace);
            keep.setString(2, e.getKey().service());
            keep.setLong(3, e.getKey().minuteMs());
            keep.setLong(4, e.getValue()[0]);
            keep.setLong(5, e.getValue()[1]);
            keep.setLong(6, e.getValue()[2]);
            keep.executeUpdate();
        }
        return new Expired(traces, bytes);
    }

    /** A row of {@code expired_activity}; ordered, so that concurrent writers take row locks in one order. */
    private record ServiceMinute(String service, long minuteMs) implements Comparable<ServiceMinute> {
        @Override
        public int compareTo(ServiceMinute o) {
            int c = service.compareTo(o.service);
            return c != 0 ? c : Long.compare(minuteMs, o.minuteMs);
        }
    }

    /** When an expired trace happened, for its group's counts: its start, else its first trigger, else its storing. */
    private static long occurredAtMs(Long startedAtUs, Long triggeredAtMs, long createdAtMs) {
        if (startedAtUs != null) {
            return Math.floorDiv(startedAtUs, 1000);
        }
        return triggeredAtMs != null ? triggeredAtMs : createdAtMs;
    }
}
