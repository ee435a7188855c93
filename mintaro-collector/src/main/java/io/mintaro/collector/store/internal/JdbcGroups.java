package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.GroupPage;
import io.mintaro.collector.store.GroupQuery;
import io.mintaro.collector.store.GroupRow;
import io.mintaro.collector.store.GroupStore;
import io.mintaro.collector.store.TimeBuckets;
import io.mintaro.collector.store.Triage;
import io.mintaro.collector.store.TriageUpdate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Error groups over {@code traces} and {@code group_counts}, and {@code triage}. */
final class JdbcGroups implements GroupStore {
    private final Transactions db;
    private final TraceFilters filters;

    JdbcGroups(Transactions db) {
        this.db = db;
        this.filters = new TraceFilters(db.dialect());
    }

    /**
     * Searches error groups, newest last occurrence first, one page at a time. The filters select
     * stored traces and counted occurrences (see {@link GroupQuery}); a group is made of those
     * selected, and listed when it has any.
     */
    @Override
    public GroupPage find(GroupQuery q) throws SQLException {
        if (q.service() == null && q.text() == null && q.fromUs() == null && q.toUs() == null
                && q.tags().isEmpty()) {
            return findAllTime(q);
        }
        Dialect d = db.dialect();
        List<Object> args = new ArrayList<>();
        // Stored traces, aggregated per group: of one group, a range of traces_by_fingerprint; of a
        // time range, a range of traces_by_start (left to itself, SQLite walks traces_by_fingerprint
        // whole to save the sort of GROUP BY); otherwise every trace.
        boolean ranged = q.fingerprint() == null && (q.fromUs() != null || q.toUs() != null);
        String byTime = ranged ? d.indexedBy("traces_by_start") : "";
        StringBuilder traceWhere = new StringBuilder(" WHERE t.namespace = ? AND t.fingerprint IS NOT NULL");
        args.add(q.namespace());
        if (q.fingerprint() != null) {
            traceWhere.append(" AND t.fingerprint = ?");
            args.add(q.fingerprint());
        }
        filters.append(traceWhere, args, q.service(), q.text(), q.fromUs(), q.toUs());
        filters.appendTags(traceWhere, args, q.namespace(), q.tags());
        String traces = """
                SELECT t.fingerprint AS fp, min(t.group_service) AS service, min(t.group_endpoint) AS endpoint,
                  min(t.group_problem) AS problem, min(t.group_kind) AS kind, count(*) AS traces,
                  count(*) AS occurrences,
                  count(*) FILTER (WHERE t.created_at_ms > coalesce(tr.updated_at_ms, -1)) AS new,
                  min(t.started_at_us) AS first_us, max(t.started_at_us) AS last_us,
                  max(""" + d.zeroPadded("coalesce(t.started_at_us, 0)") + """
                 || t.trace_id) AS last_key
                FROM traces t""" + byTime + " LEFT JOIN triage tr ON tr.fingerprint = t.fingerprint" + traceWhere
                + " GROUP BY t.fingerprint";
        // Counted occurrences, per group and minute: a minute is selected whole when any of it is in range.
        StringBuilder countedWhere = new StringBuilder(" WHERE g.namespace = ?");
        args.add(q.namespace());
        countFilters(countedWhere, args, q, d);
        String counted = """
                SELECT g.fingerprint, min(g.service), min(g.endpoint), min(g.problem), min(g.kind), 0,
                  sum(g.occurrences), 0, min(g.first_at_ms) * 1000, max(g.last_at_ms) * 1000, NULL
                FROM group_counts g""" + (q.fingerprint() == null && q.fromUs() != null
                ? d.indexedBy("group_counts_by_time") : "") + countedWhere + " GROUP BY g.fingerprint";
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        groupFilters(where, q, "o.kind");
        String from = " FROM (" + traces + " UNION ALL " + counted
                + ") o LEFT JOIN triage tr ON tr.fingerprint = o.fp" + where + " GROUP BY o.fp";
        // The group columns are equal on all rows of a group (the fingerprint is their hash), and
        // so is the joined triage. The last trace is the greatest (start, id), as in trace lists.
        String page = """
                SELECT o.fp, min(o.service), min(o.endpoint), min(o.problem), min(o.kind), sum(o.traces),
                  sum(o.occurrences), sum(o.new), min(o.first_us), max(o.last_us), substr(max(o.last_key), 21),
                  min(tr.mark), min(tr.level), min(tr.note), min(tr.updated_at_ms), min(tr.silenced_until_ms), count(*) OVER ()""" + from
                + " ORDER BY max(o.last_us) DESC, o.fp DESC LIMIT ? OFFSET ?";
        String count = "SELECT count(*) FROM (SELECT o.fp" + from + ") AS found";
        return db.read(c -> page(c, page, count, args, q));
    }

    /**
     * {@link #find} without trace filters: every trace and counted occurrence of a group counts, so
     * its figures are its {@code group_stats} row (schema 10), kept by triggers on every write.
     * One row per group is read, whatever the number of traces; the result equals the walk over
     * {@code traces} and {@code group_counts} that the filtered search does.
     */
    private GroupPage findAllTime(GroupQuery q) throws SQLException {
        Dialect d = db.dialect();
        List<Object> args = new ArrayList<>();
        // group_stats_by_namespace: the namespace's groups only (fingerprints are namespace-unique,
        // so the one-group lookup by primary key filters the namespace too, as every read does).
        StringBuilder where = new StringBuilder(" WHERE s.namespace = ? AND (s.traces > 0 OR s.counted_rows > 0)");
        args.add(q.namespace());
        if (q.fingerprint() != null) {
            where.append(" AND s.fingerprint = ?");
            args.add(q.fingerprint());
        }
        groupFilters(where, q, "s.kind");
        String from = " FROM group_stats s LEFT JOIN triage tr ON tr.fingerprint = s.fingerprint" + where;
        String lastUs = either(d, d.greatest("s.last_us", "s.counted_last_ms * 1000"), "s.last_us",
                "s.counted_last_ms * 1000");
        String page = "SELECT s.fingerprint, s.service, s.endpoint, s.problem, s.kind, s.traces,"
                + " s.traces + s.counted, s.new_traces, "
                + either(d, d.least("s.first_us", "s.counted_first_ms * 1000"), "s.first_us",
                        "s.counted_first_ms * 1000")
                + ", " + lastUs + ", s.last_trace_id, tr.mark, tr.level, tr.note, tr.updated_at_ms, tr.silenced_until_ms, count(*) OVER ()"
                + from + " ORDER BY " + lastUs + " DESC, s.fingerprint DESC LIMIT ? OFFSET ?";
        String count = "SELECT count(*)" + from;
        return db.read(c -> page(c, page, count, args, q));
    }

    /** {@code both} when neither value is null, else the one that is not (as min and max of a group do). */
    private static String either(Dialect d, String both, String a, String b) {
        return "CASE WHEN " + a + " IS NULL THEN " + b + " WHEN " + b + " IS NULL THEN " + a + " ELSE " + both + " END";
    }

    /** The filters on a group's kind and triage ({@code tr}), the same for both searches. */
    private static void groupFilters(StringBuilder where, GroupQuery q, String kind) {
        if (q.status() != null) {
            switch (q.status()) {
                case "error" -> where.append(" AND " + kind + " = 'error' AND coalesce(tr.mark, 'none') <> 'crash'");
                case "crash" -> where.append(" AND tr.mark = 'crash'");
                case "ok" -> where.append(" AND " + kind + " <> 'error'");
                default -> throw new IllegalArgumentException("status " + q.status());
            }
        }
        if (q.speed() != null) {
            switch (q.speed()) {
                case "slow" -> where.append(" AND " + kind + " = 'slow'");
                case "fast" -> where.append(" AND " + kind + " <> 'slow'");
                default -> throw new IllegalArgumentException("speed " + q.speed());
            }
        }
        // A silence past its time limit (schema 13) is over: judged by this collector's clock.
        String silencedNow = "(coalesce(tr.mark, 'none') = 'silenced' AND coalesce(tr.silenced_until_ms, "
                + Long.MAX_VALUE + ") > " + System.currentTimeMillis() + ")";
        switch (q.silenced() == null ? "hide" : q.silenced()) {
            case "hide" -> where.append(" AND NOT " + silencedNow);
            case "only" -> where.append(" AND " + silencedNow);
            case "show" -> {
            }
            default -> throw new IllegalArgumentException("silenced " + q.silenced());
        }
    }

    /** Runs a page query (16 columns, the last the total) and, for a page past the end, its count. */
    private static GroupPage page(java.sql.Connection c, String page, String count, List<Object> args, GroupQuery q)
            throws SQLException {
        List<GroupRow> out = new ArrayList<>();
        long total = -1;
        try (PreparedStatement ps = c.prepareStatement(page)) {
            Rows.bindPage(ps, args, q.limit(), q.offset());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String mark = rs.getString(12);
                    Triage triage = mark == null ? Triage.NONE
                            : new Triage(mark, rs.getString(13), rs.getString(14), Rows.nullableLong(rs, 15),
                                    Rows.nullableLong(rs, 16));
                    out.add(new GroupRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                            Rows.nullableLong(rs, 9), Rows.nullableLong(rs, 10), TraceKeys.traceId(rs.getString(11)),
                            triage));
                    total = rs.getLong(17);
                }
            }
        }
        if (total < 0) {
            // A page past the end has no row to carry the total.
            total = Rows.count(c, count, args);
        }
        return new GroupPage(out, total);
    }

    /**
     * The filters of counted occurrences ({@code group_counts g}), whose group is all that is known
     * of them: the service is the group's (the origin), the text is matched against its endpoint
     * and problem, and the time range against each minute's {@code [first_at_ms, last_at_ms]}
     * (milliseconds; the range is in microseconds).
     */
    private static void countFilters(StringBuilder where, List<Object> args, GroupQuery q, Dialect d) {
        if (!q.tags().isEmpty()) {
            // Counted occurrences have no spans, hence no tags.
            where.append(" AND 1 = 0");
        }
        if (q.fingerprint() != null) {
            where.append(" AND g.fingerprint = ?");
            args.add(q.fingerprint());
        }
        if (q.service() != null) {
            where.append(" AND g.service = ?");
            args.add(q.service());
        }
        if (q.fromUs() != null) {
            // last_at_ms * 1000 >= fromUs, written on the column so that group_counts_by_time serves it.
            where.append(" AND g.last_at_ms >= ?");
            args.add(Math.floorDiv(q.fromUs() + 999, 1000));
        }
        if (q.toUs() != null) {
            where.append(" AND g.first_at_ms * 1000 < ?");
            args.add(q.toUs());
        }
        if (q.text() != null) {
            String op = " " + d.like() + " ? ESCAPE '\\'";
            where.append(" AND (g.endpoint").append(op).append(" OR g.problem").append(op).append(")");
            args.add(Rows.like(q.text()));
            args.add(Rows.like(q.text()));
        }
    }

    /**
     * Buckets of an hour or more read their whole hours from {@code group_hours} (schema 14) and
     * only the hours cut by a bucket's edge from traces_by_fingerprint (read without the table);
     * narrower buckets, whose range is short, read traces_by_fingerprint alone. Counted
     * occurrences come from one range of {@code group_counts}' primary key. The cost follows the
     * number of buckets and groups, not the traces in the range.
     */
    @Override
    public Map<String, long[]> occurrences(Collection<String> fingerprints, TimeBuckets buckets) throws SQLException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String fp : fingerprints) {
            out.put(fp, new long[buckets.count()]);
        }
        if (out.isEmpty()) {
            return out;
        }
        String in = String.join(", ", Collections.nCopies(out.size(), "?"));
        String traces = "SELECT fingerprint, (started_at_us - ?) / ? AS b, count(*) FROM traces"
                + db.dialect().indexedBy("traces_by_fingerprint") + " WHERE fingerprint IN (" + in + ")"
                + " AND started_at_us >= ? AND started_at_us < ? GROUP BY fingerprint, b";
        List<long[]> cuts = buckets.widthUs() < HOUR_US ? List.of() : cutHours(buckets);
        // The hours inside the range that no bucket edge cuts, each summed into its bucket.
        String hours = "SELECT fingerprint, (hour_ms * 1000 - ?) / ? AS b, sum(traces) FROM group_hours"
                + " WHERE fingerprint IN (" + in + ") AND hour_ms >= ? AND hour_ms < ?"
                + (cuts.isEmpty() ? "" : " AND hour_ms NOT IN ("
                        + String.join(", ", Collections.nCopies(cuts.size(), "?")) + ")")
                + " GROUP BY fingerprint, b";
        // A counted minute falls whole in the bucket of its start (minute_ms · 1000 µs).
        String counted = "SELECT fingerprint, (minute_ms * 1000 - ?) / ? AS b, sum(occurrences) FROM group_counts"
                + " WHERE fingerprint IN (" + in + ") AND minute_ms >= ? AND minute_ms < ? GROUP BY fingerprint, b";
        long fromMs = Math.floorDiv(buckets.fromUs() + 999, 1000);
        long toMs = Math.floorDiv(buckets.toUs() + 999, 1000);
        db.read(c -> {
            if (buckets.widthUs() < HOUR_US) {
                addCounts(c, traces, out, buckets, buckets.fromUs(), buckets.toUs());
            } else {
                // hour_ms · 1000 ≥ from, and hour_ms · 1000 + 1 h ≤ to; then the cut hours left out
                long[] range = new long[2 + cuts.size()];
                range[0] = Math.floorDiv(buckets.fromUs() + 999, 1000);
                range[1] = Math.floorDiv(buckets.toUs() - HOUR_US, 1000) + 1;
                for (int i = 0; i < cuts.size(); i++) {
                    range[2 + i] = cuts.get(i)[2] / 1000;
                }
                addCounts(c, hours, out, buckets, range);
                for (long[] cut : cuts) {
                    addCounts(c, traces, out, buckets, cut[0], cut[1]);
                }
            }
            addCounts(c, counted, out, buckets, fromMs, toMs);
            return null;
        });
        return out;
    }

    private static final long HOUR_US = 3_600_000_000L;

    /**
     * The hours a bucket edge cuts (every edge not on the hour): each as its part inside the
     * buckets' range and its start, {@code [from, to, hour]} in µs. Their traces are counted one by
     * one, the other hours from their roll-up.
     */
    private static List<long[]> cutHours(TimeBuckets buckets) {
        List<long[]> cuts = new ArrayList<>();
        long lastHour = Long.MIN_VALUE;
        for (int i = 0; i <= buckets.count(); i++) {
            long edge = buckets.fromUs() + i * buckets.widthUs();
            long hour = Math.floorDiv(edge, HOUR_US) * HOUR_US;
            if (edge != hour && hour != lastHour) {
                cuts.add(new long[] {Math.max(hour, buckets.fromUs()), Math.min(hour + HOUR_US, buckets.toUs()), hour});
                lastHour = hour;
            }
        }
        return cuts;
    }

    /**
     * Runs a count query of rows (fingerprint, bucket, count) whose parameters are the buckets'
     * start and width, the fingerprints, then {@code range}, and adds its counts to {@code out}.
     */
    private static void addCounts(java.sql.Connection c, String sql, Map<String, long[]> out, TimeBuckets buckets,
                                  long... range) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, buckets.fromUs());
            ps.setLong(i++, buckets.widthUs());
            for (String fp : out.keySet()) {
                ps.setString(i++, fp);
            }
            for (long v : range) {
                ps.setLong(i++, v);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] counts = out.get(rs.getString(1));
                    int b = rs.getInt(2);
                    if (counts != null && b >= 0 && b < counts.length) {
                        counts[b] += rs.getLong(3);
                    }
                }
            }
        }
    }

    @Override
    public Optional<GroupRow> get(String namespace, String fingerprint) throws SQLException {
        List<GroupRow> found = find(GroupQuery.of(namespace, fingerprint)).groups();
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public boolean triage(String namespace, String fingerprint, TriageUpdate update, long nowMs) throws SQLException {
        return db.write(w -> {
            // Fingerprints of different namespaces differ (Grouping): a group found here is theirs.
            PreparedStatement exists = w.get("""
                    SELECT 1 FROM traces WHERE fingerprint = ? AND namespace = ?
                    UNION ALL SELECT 1 FROM group_counts WHERE fingerprint = ? AND namespace = ? LIMIT 1""");
            exists.setString(1, fingerprint);
            exists.setString(2, namespace);
            exists.setString(3, fingerprint);
            exists.setString(4, namespace);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
            PreparedStatement ps = w.get("""
                    INSERT INTO triage(fingerprint, mark, level, note, updated_at_ms)
                    VALUES (?, coalesce(?, 'none'), coalesce(?, 'none'), ?, ?)
                    ON CONFLICT(fingerprint) DO UPDATE SET mark = coalesce(?, triage.mark),
                      level = coalesce(?, triage.level), note = CASE WHEN ? THEN ? ELSE triage.note END,
                      updated_at_ms = ?, silenced_until_ms = CASE WHEN ? THEN ? WHEN ? THEN NULL
                        ELSE triage.silenced_until_ms END""");
            ps.setString(1, fingerprint);
            ps.setString(2, update.mark());
            ps.setString(3, update.level());
            ps.setString(4, update.note());
            ps.setLong(5, nowMs);
            ps.setString(6, update.mark());
            ps.setString(7, update.level());
            ps.setBoolean(8, update.noteGiven());
            ps.setString(9, update.note());
            ps.setLong(10, nowMs);
            // A new mark without a time limit ends the old one (a silence for ever, or none).
            ps.setBoolean(11, update.untilGiven());
            if (update.silencedUntilMs() == null) {
                ps.setNull(12, java.sql.Types.BIGINT);
            } else {
                ps.setLong(12, update.silencedUntilMs());
            }
            ps.setBoolean(13, update.mark() != null);
            ps.executeUpdate();
            if (update.untilGiven()) {
                PreparedStatement until = w.get("UPDATE triage SET silenced_until_ms = ? WHERE fingerprint = ?");
                if (update.silencedUntilMs() == null) {
                    until.setNull(1, java.sql.Types.BIGINT);
                } else {
                    until.setLong(1, update.silencedUntilMs());
                }
                until.setString(2, fingerprint);
                until.executeUpdate();
            }
            // A triage change acknowledges the traces so far. Counting the group's traces created
            // after it walks the group once; triage is a person's click, not a hot path.
            PreparedStatement acknowledged = w.get("""
                    UPDATE group_stats SET new_traces = (SELECT count(*) FROM traces
                      WHERE fingerprint = ? AND created_at_ms > ?) WHERE fingerprint = ? AND namespace = ?""");
            acknowledged.setString(1, fingerprint);
            acknowledged.setLong(2, nowMs);
            acknowledged.setString(3, fingerprint);
            acknowledged.setString(4, namespace);
            acknowledged.executeUpdate();
            return true;
        });
    }
}
