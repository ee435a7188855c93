package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.ServiceRow;
import io.mintaro.collector.store.SpanStats;
import io.mintaro.collector.store.StatsStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Span statistics and services. */
final class JdbcStats implements StatsStore {
    private final Transactions db;

    JdbcStats(Transactions db) {
        this.db = db;
    }

    @Override
    public List<SpanStats> spanStats(long fromUs, Long toUs, String service) throws SQLException {
        Dialect d = db.dialect();
        StringBuilder sql = new StringBuilder("SELECT service, name, kind, " + d.joinNumbers("end_us - start_us")
                + " FROM spans" + d.indexedBy("spans_for_stats") + " WHERE start_us >= ? AND end_us IS NOT NULL");
        List<Object> args = new ArrayList<>();
        args.add(fromUs);
        if (toUs != null) {
            sql.append(" AND start_us < ?");
            args.add(toUs);
        }
        if (service != null) {
            sql.append(" AND service = ?");
            args.add(service);
        }
        // The index is in group order: one pass, no sort in SQL; each group's durations are
        // sorted here, which costs less than ranking them in SQL.
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
                                durations[n - 1]));
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
    public List<ServiceRow> services() throws SQLException {
        return db.read(c -> {
            List<ServiceRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT service, max(last_seen_at_ms) FROM agents GROUP BY service ORDER BY service");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ServiceRow(rs.getString(1), rs.getLong(2)));
                }
            }
            return out;
        });
    }
}
