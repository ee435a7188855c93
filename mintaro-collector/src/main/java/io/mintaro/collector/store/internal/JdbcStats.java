package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.ServiceActivity;
import io.mintaro.collector.store.ServiceRow;
import io.mintaro.collector.store.SpanStats;
import io.mintaro.collector.store.StatsStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Span statistics and services. */
final class JdbcStats implements StatsStore {
    private static final long MINUTE_MS = 60_000;

    private final Transactions db;
    private final String triggersByBucket;
    private final String tracesByBucket;
    private final String countedByBucket;
    private final String expiredByBucket;

    JdbcStats(Transactions db) {
        this.db = db;
        Dialect d = db.dialect();
        // Each reads one range of an index of schema 7 (the hints make SQLite refuse, rather than
        // quietly scan, should the index not serve the query); the bucket is computed per row of
        // the range, so the cost follows the service's activity in the range, not the table.
        this.triggersByBucket = "SELECT (received_at_ms / ?) * ? AS bucket, count(*) FROM triggers"
                + d.indexedBy("triggers_by_service")
                + " WHERE namespace = ? AND service = ? AND received_at_ms >= ? AND received_at_ms < ? GROUP BY bucket";
        this.tracesByBucket = "SELECT (created_at_ms / ?) * ? AS bucket, count(*) FILTER (WHERE status = 'error'),"
                + " count(*) FROM traces" + d.indexedBy("traces_by_trigger_service")
                + " WHERE namespace = ? AND trigger_service = ? AND created_at_ms >= ? AND created_at_ms < ? GROUP BY bucket";
        // Occurrences of expired traces count as the traces they were (expired_activity), not as counted.
        this.countedByBucket = "SELECT (minute_ms / ?) * ? AS bucket, sum(occurrences - expired) FROM group_counts"
                + d.indexedBy("group_counts_by_service")
                + " WHERE namespace = ? AND service = ? AND minute_ms >= ? AND minute_ms < ? GROUP BY bucket";
        this.expiredByBucket = "SELECT (minute_ms / ?) * ? AS bucket, sum(triggers), sum(errors), sum(stored)"
                + " FROM expired_activity WHERE namespace = ? AND service = ? AND minute_ms >= ? AND minute_ms < ?"
                + " GROUP BY bucket";
    }

    @Override
    public List<SpanStats> spanStats(String namespace, long fromUs, Long toUs, String service) throws SQLException {
        Dialect d = db.dialect();
        StringBuilder sql = new StringBuilder("SELECT service, name, kind, " + d.joinNumbers("end_us - start_us")
                + " FROM spans" + d.indexedBy("spans_by_start")
                + " WHERE namespace = ? AND start_us >= ? AND end_us IS NOT NULL");
        List<Object> args = new ArrayList<>();
        args.add(namespace);
        args.add(fromUs);
        if (toUs != null) {
            sql.append(" AND start_us < ?");
            args.add(toUs);
        }
        if (service != null) {
            sql.append(" AND service = ?");
            args.add(service);
        }
        // One range of spans_by_start (schema 10), which covers the columns read: the cost follows
        // the spans in the range, not the table. Each group's durations are sorted here, which
        // costs less than ranking them in SQL.
        sql.append(" GROUP BY name, service, kind");
        return db.read(c -> {
            List<SpanStats> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                Rows.bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] durations = parseLongs(rs.getString(4));
                        Arrays.sort(durations);
                        int n = durations.length;
                        out.add(new SpanStats(rs.getString(1), rs.getString(2), rs.getString(3), n,
                                durations[nearestRank(50, n) - 1], durations[nearestRank(95, n) - 1],
                                durations[n - 1], SpanStats.latencyOf(durations)));
                    }
                }
            }
            return out;
        });
    }

    /** The 1-based rank of the p-th percentile of n sorted values: ceil(p * n / 100). */
    static int nearestRank(int p, int n) {
        return Math.max(1, (int) ((p * (long) n + 99) / 100));
    }

    /** The numbers of a comma-separated list of integers. */
    private static long[] parseLongs(String csv) {
        long[] out = new long[16];
        int count = 0;
        long value = 0;
        boolean negative = false;
        for (int i = 0, len = csv.length(); i <= len; i++) {
            char ch = i < len ? csv.charAt(i) : ',';
            if (ch == ',') {
                if (count == out.length) {
                    out = Arrays.copyOf(out, count * 2);
                }
                out[count++] = negative ? -value : value;
                value = 0;
                negative = false;
            } else if (ch == '-') {
                negative = true;
            } else {
                value = value * 10 + (ch - '0');
            }
        }
        return Arrays.copyOf(out, count);
    }

    @Override
    public List<ServiceRow> services(String namespace) throws SQLException {
        return db.read(c -> {
            List<ServiceRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT service, max(last_seen_at_ms) FROM agents"
                    + " WHERE namespace = ? GROUP BY service ORDER BY service")) {
                ps.setString(1, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ServiceRow(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<ServiceActivity> activity(String namespace, String service, long fromMs, long toMs, long bucketMs)
            throws SQLException {
        if (bucketMs <= 0 || bucketMs % MINUTE_MS != 0) {
            throw new IllegalArgumentException("a bucket is a whole number of minutes, not " + bucketMs + " ms");
        }
        return db.read(c -> List.copyOf(buckets(c, namespace, service, fromMs, toMs, bucketMs).values()));
    }

    @Override
    public Map<String, ServiceActivity> activityTotals(String namespace, Collection<String> services, long fromMs,
                                                       long toMs) throws SQLException {
        return db.read(c -> {
            Map<String, ServiceActivity> out = new TreeMap<>();
            for (String service : services) {
                ServiceActivity total = ServiceActivity.none(fromMs);
                for (ServiceActivity b : buckets(c, namespace, service, fromMs, toMs, 0).values()) {
                    total = total.plus(b);
                }
                out.put(service, total);
            }
            return out;
        });
    }

    /**
     * The non-empty buckets of one service in {@code [fromMs, toMs)}, by start; {@code bucketMs} 0
     * for the whole range in one bucket.
     */
    private Map<Long, ServiceActivity> buckets(Connection c, String namespace, String service, long fromMs, long toMs,
                                               long bucketMs) throws SQLException {
        Map<Long, ServiceActivity> out = new TreeMap<>();
        if (toMs <= fromMs) {
            return out;
        }
        // For the whole range, a width past every time and a multiplier of 0 put each row in one
        // bucket: the same statements (and indexes) serve both.
        long width = bucketMs > 0 ? bucketMs : Long.MAX_VALUE / 2;
        long align = bucketMs > 0 ? width : 0;
        try (PreparedStatement ps = c.prepareStatement(triggersByBucket)) {
            try (ResultSet rs = query(ps, width, align, namespace, service, fromMs, toMs)) {
                while (rs.next()) {
                    long start = bucketMs > 0 ? rs.getLong(1) : fromMs;
                    out.merge(start, new ServiceActivity(start, rs.getLong(2), 0, 0, 0), ServiceActivity::plus);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(tracesByBucket)) {
            try (ResultSet rs = query(ps, width, align, namespace, service, fromMs, toMs)) {
                while (rs.next()) {
                    long start = bucketMs > 0 ? rs.getLong(1) : fromMs;
                    out.merge(start, new ServiceActivity(start, 0, rs.getLong(2), rs.getLong(3), 0),
                            ServiceActivity::plus);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(countedByBucket)) {
            try (ResultSet rs = query(ps, width, align, namespace, service, fromMs, toMs)) {
                while (rs.next()) {
                    long start = bucketMs > 0 ? rs.getLong(1) : fromMs;
                    out.merge(start, new ServiceActivity(start, 0, 0, 0, rs.getLong(2)), ServiceActivity::plus);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(expiredByBucket)) {
            try (ResultSet rs = query(ps, width, align, namespace, service, fromMs, toMs)) {
                while (rs.next()) {
                    long start = bucketMs > 0 ? rs.getLong(1) : fromMs;
                    out.merge(start, new ServiceActivity(start, rs.getLong(2), rs.getLong(3), rs.getLong(4), 0),
                            ServiceActivity::plus);
                }
            }
        }
        return out;
    }

    private static ResultSet query(PreparedStatement ps, long width, long align, String namespace, String service,
                                   long fromMs, long toMs) throws SQLException {
        ps.setLong(1, width);
        ps.setLong(2, align);
        ps.setString(3, namespace);
        ps.setString(4, service);
        ps.setLong(5, fromMs);
        ps.setLong(6, toMs);
        return ps.executeQuery();
    }
}
