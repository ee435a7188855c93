package io.mintaro.collector.store.internal;

import io.mintaro.collector.protocol.Batch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counted triggers (protocol, "Counted triggers"), written inside the batch's transaction.
 *
 * <p>Every occurrence is counted once, when it arrives, so that the groups' figures are exact at
 * any moment and reading them costs one row per group and minute, whatever the error rate:
 * <ul>
 *   <li>a counted trigger of a stored trace becomes one of its triggers (the trace is the
 *       occurrence);
 *   <li>otherwise it waits in {@code counted_triggers}, and the trace's occurrence is in
 *       {@code group_counts}, in the group and minute of the trace's origin row (an
 *       {@code error} row first, then the earliest {@code at_ms}, then the agent id, then the
 *       kind: {@link Grouping}'s rule for stored traces). A better origin arriving from another
 *       agent moves the occurrence;
 *   <li>when a trigger creates the trace, its rows become its triggers and the occurrence is taken
 *       back: the stored trace counts instead;
 *   <li>after the count window the rows are forgotten (their occurrence stays).
 * </ul>
 * Invariant: a trace with rows in {@code counted_triggers} has exactly one occurrence in
 * {@code group_counts}, at its origin row's bucket, and no {@code traces} row.
 */
final class Counts {
    /** Ends the reason of a trigger row made from a counted trigger ({@code "<problem> in <endpoint>"} before it). */
    static final String COUNTED_REASON = " (counted, not collected by this agent)";
    private static final long MINUTE_MS = 60_000;

    private final String addOccurrences;
    private final String forgetOldest;

    Counts(Dialect dialect) {
        this.addOccurrences = "INSERT INTO group_counts(fingerprint, minute_ms, service, endpoint, problem, kind,"
                + " occurrences, first_at_ms, last_at_ms, namespace, expired) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(fingerprint, minute_ms) DO UPDATE SET"
                + " occurrences = group_counts.occurrences + excluded.occurrences,"
                + " expired = group_counts.expired + excluded.expired,"
                + " first_at_ms = " + dialect.least("group_counts.first_at_ms", "excluded.first_at_ms") + ","
                + " last_at_ms = " + dialect.greatest("group_counts.last_at_ms", "excluded.last_at_ms");
        // The IN list is evaluated once, before deleting: one range of the index.
        this.forgetOldest = "DELETE FROM counted_triggers WHERE trace_id IN (SELECT trace_id FROM counted_triggers"
                + dialect.indexedBy("counted_triggers_by_received")
                + " WHERE received_at_ms <= ? ORDER BY received_at_ms LIMIT ?)";
    }

    /** The origin row of a trace's counted triggers, and the bucket its occurrence is in. */
    private record Origin(String fingerprint, String service, String endpoint, String problem, String kind,
                          long atMs, String agentId) {
        Bucket bucket() {
            return new Bucket(fingerprint, minute(atMs));
        }

        /** Whether this row is a better origin than {@code other}, by the order of {@link Counts}. */
        boolean before(Origin other) {
            boolean error = kind.equals("error");
            if (error != other.kind.equals("error")) {
                return error;
            }
            if (atMs != other.atMs) {
                return atMs < other.atMs;
            }
            int agent = agentId.compareTo(other.agentId);
            return agent != 0 ? agent < 0 : kind.compareTo(other.kind) < 0;
        }
    }

    private record Bucket(String fingerprint, long minuteMs) implements Comparable<Bucket> {
        @Override
        public int compareTo(Bucket o) {
            int c = fingerprint.compareTo(o.fingerprint);
            return c != 0 ? c : Long.compare(minuteMs, o.minuteMs);
        }
    }

    /**
     * What one batch changes in {@code group_counts}, written once per bucket at its end, in bucket
     * order (concurrent writers update the rows in one order: no deadlock).
     */
    final class Deltas {
        private static final class Delta {
            String service;
            String endpoint;
            String problem;
            String kind;
            long occurrences;
            /** Of {@code occurrences}: traces retention deleted. */
            long expired;
            long firstAtMs = Long.MAX_VALUE;
            long lastAtMs = Long.MIN_VALUE;
        }

        private final Map<Bucket, Delta> deltas = new TreeMap<>();
        /** A batch's: every fingerprint in it is of this namespace. */
        private final String namespace;

        Deltas(String namespace) {
            this.namespace = namespace;
        }

        private Delta of(Bucket b, String service, String endpoint, String problem, String kind) {
            Delta d = deltas.computeIfAbsent(b, k -> new Delta());
            d.service = service;
            d.endpoint = endpoint;
            d.problem = problem;
            d.kind = kind;
            return d;
        }

        /** {@code n} occurrences of the group, from {@code firstAtMs} to {@code lastAtMs}. */
        void add(String fingerprint, String service, String endpoint, String problem, String kind, long n,
                 long firstAtMs, long lastAtMs) {
            Delta d = of(new Bucket(fingerprint, minute(firstAtMs)), service, endpoint, problem, kind);
            d.occurrences += n;
            d.firstAtMs = Math.min(d.firstAtMs, firstAtMs);
            d.lastAtMs = Math.max(d.lastAtMs, lastAtMs);
        }

        /** The occurrence of a trace that retention deletes, at {@code atMs}. */
        void addExpired(String fingerprint, String service, String endpoint, String problem, String kind, long atMs) {
            add(fingerprint, service, endpoint, problem, kind, 1, atMs, atMs);
            deltas.get(new Bucket(fingerprint, minute(atMs))).expired++;
        }

        void add(Origin o) {
            add(o.fingerprint(), o.service(), o.endpoint(), o.problem(), groupKind(o.kind()), 1, o.atMs(),
                    o.atMs());
        }

        /** Takes back the occurrence of a trace whose origin was {@code o} (the minute keeps its times). */
        void remove(Origin o) {
            of(o.bucket(), o.service(), o.endpoint(), o.problem(), groupKind(o.kind())).occurrences--;
        }

        void apply(Tx w) throws SQLException {
            for (Map.Entry<Bucket, Delta> e : deltas.entrySet()) {
                Delta d = e.getValue();
                if (d.occurrences > 0) {
                    PreparedStatement ps = w.get(addOccurrences);
                    ps.setString(1, e.getKey().fingerprint());
                    ps.setLong(2, e.getKey().minuteMs());
                    ps.setString(3, d.service);
                    ps.setString(4, d.endpoint);
                    ps.setString(5, d.problem);
                    ps.setString(6, d.kind);
                    ps.setLong(7, d.occurrences);
                    // More than taken back: at least one addition, which set the times.
                    ps.setLong(8, d.firstAtMs);
                    ps.setLong(9, d.lastAtMs);
                    ps.setString(10, namespace);
                    ps.setLong(11, d.expired);
                    ps.executeUpdate();
                } else if (d.occurrences < 0) {
                    PreparedStatement take = w.get("""
                            UPDATE group_counts SET occurrences = occurrences + ? WHERE fingerprint = ? AND minute_ms = ?""");
                    take.setLong(1, d.occurrences);
                    take.setString(2, e.getKey().fingerprint());
                    take.setLong(3, e.getKey().minuteMs());
                    take.executeUpdate();
                    PreparedStatement empty = w.get(
                            "DELETE FROM group_counts WHERE fingerprint = ? AND minute_ms = ? AND occurrences <= 0");
                    empty.setString(1, e.getKey().fingerprint());
                    empty.setLong(2, e.getKey().minuteMs());
                    empty.executeUpdate();
                }
            }
            deltas.clear();
        }
    }

    /**
     * One counted entry of a batch: each trace id becomes a trigger of its stored trace, or an
     * occurrence waiting for its trace; {@code more} is counted as it is.
     */
    void store(Tx w, Batch.Counted c, String agentId, String service, long nowMs,
                      Set<String> touched, Deltas deltas) throws SQLException {
        String kind = groupKind(c.kind());
        String problem = groupProblem(c.kind(), c.problem());
        String fingerprint = Grouping.fingerprint(deltas.namespace, service, c.endpoint(), problem);
        String reason = c.problem() + " in " + c.endpoint() + COUNTED_REASON;
        PreparedStatement stored = w.get("SELECT 1 FROM traces WHERE trace_id = ?");
        PreparedStatement trigger = w.get("""
                INSERT INTO triggers(trace_id, agent_id, service, kind, reason, at_ms, received_at_ms, namespace)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
        PreparedStatement waiting = w.get("""
                INSERT INTO counted_triggers(trace_id, agent_id, service, kind, endpoint, problem,
                                             fingerprint, at_ms, received_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
        for (Batch.CountedTrace t : c.traces()) {
            stored.setString(1, t.traceId());
            boolean exists;
            try (ResultSet rs = stored.executeQuery()) {
                exists = rs.next();
            }
            if (exists) {
                trigger.setString(1, t.traceId());
                trigger.setString(2, agentId);
                trigger.setString(3, service);
                trigger.setString(4, c.kind());
                trigger.setString(5, reason);
                trigger.setLong(6, t.atMs());
                trigger.setLong(7, nowMs);
                trigger.setString(8, deltas.namespace);
                // A re-sent batch inserts nothing: no summary to recompute.
                if (trigger.executeUpdate() > 0) {
                    touched.add(t.traceId());
                }
                continue;
            }
            Origin previous = origin(w, t.traceId());
            waiting.setString(1, t.traceId());
            waiting.setString(2, agentId);
            waiting.setString(3, service);
            waiting.setString(4, c.kind());
            waiting.setString(5, c.endpoint());
            waiting.setString(6, problem);
            waiting.setString(7, fingerprint);
            waiting.setLong(8, t.atMs());
            waiting.setLong(9, nowMs);
            if (waiting.executeUpdate() == 0) {
                continue; // counted before (a re-sent batch)
            }
            Origin row = new Origin(fingerprint, service, c.endpoint(), problem, c.kind(), t.atMs(), agentId);
            if (previous == null) {
                deltas.add(row);
            } else if (row.before(previous)) {
                // Another service counted this request too, and is where it started: the one
                // occurrence moves to this group.
                deltas.remove(previous);
                deltas.add(row);
            }
        }
        if (c.more() > 0) {
            deltas.add(fingerprint, service, c.endpoint(), problem, kind, c.more(), c.lastAtMs(), c.lastAtMs());
        }
    }

    /**
     * A trace just created takes the counted triggers that waited for it as its triggers, and their
     * occurrence back: the stored trace is the occurrence now.
     */
    void absorb(Tx w, String traceId, Deltas deltas) throws SQLException {
        Origin origin = origin(w, traceId);
        if (origin == null) {
            return;
        }
        deltas.remove(origin);
        PreparedStatement copy = w.get("""
                INSERT INTO triggers(trace_id, agent_id, service, kind, reason, at_ms, received_at_ms, namespace)
                SELECT trace_id, agent_id, service, kind, problem || ' in ' || endpoint || ?, at_ms, received_at_ms, ?
                FROM counted_triggers WHERE trace_id = ? ON CONFLICT DO NOTHING""");
        copy.setString(1, COUNTED_REASON);
        copy.setString(2, deltas.namespace);
        copy.setString(3, traceId);
        copy.executeUpdate();
        PreparedStatement delete = w.get("DELETE FROM counted_triggers WHERE trace_id = ?");
        delete.setString(1, traceId);
        delete.executeUpdate();
    }

    /**
     * Forgets the counted triggers of traces with a row that arrived at or before {@code
     * arrivedByMs}, at most {@code limit} rows' traces; every row of such a trace goes, so that the
     * rows left always hold each trace's origin. Returns the rows deleted.
     */
    int forget(Tx w, long arrivedByMs, int limit) throws SQLException {
        PreparedStatement ps = w.get(forgetOldest);
        ps.setLong(1, arrivedByMs);
        ps.setInt(2, limit);
        return ps.executeUpdate();
    }

    /** The origin row of a trace's counted triggers, or null when it has none (a primary-key range). */
    private static Origin origin(Tx w, String traceId) throws SQLException {
        PreparedStatement ps = w.get("""
                SELECT fingerprint, service, endpoint, problem, kind, at_ms, agent_id FROM counted_triggers
                WHERE trace_id = ? ORDER BY kind <> 'error', at_ms, agent_id, kind LIMIT 1""");
        ps.setString(1, traceId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Origin(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getLong(6), rs.getString(7)) : null;
        }
    }

    /** The group kind of a trigger kind: what a trace with only such triggers would be. */
    static String groupKind(String triggerKind) {
        return switch (triggerKind) {
            case "error" -> "error";
            case "slow" -> "slow";
            default -> "ok";
        };
    }

    /** The group's problem: the agent's for errors; {@code slow} and {@code ok} otherwise, as for traces. */
    static String groupProblem(String triggerKind, String problem) {
        return switch (groupKind(triggerKind)) {
            case "error" -> problem;
            case "slow" -> "slow";
            default -> "ok";
        };
    }

    static long minute(long atMs) {
        return atMs - Math.floorMod(atMs, MINUTE_MS);
    }
}
