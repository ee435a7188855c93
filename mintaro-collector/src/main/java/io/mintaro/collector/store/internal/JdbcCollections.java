package io.mintaro.collector.store.internal;

import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.protocol.Registration;
import io.mintaro.collector.store.CollectionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrieval's state in {@code collection_asks}, {@code collection_callees},
 * {@code agent_authorities} and {@code traces.collect_until_ms}. Every change of a trace's
 * collection holds the trace's lock ({@link Dialect#lockTraces}), so collectors sharing the
 * database agree on it.
 */
final class JdbcCollections implements CollectionStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcCollections.class);

    private final Transactions db;
    private final JdbcExportQueue exports;
    private final AgentNotifications notifications;
    private volatile Policy policy = new Policy(3_000, 8_000);
    private volatile Consumer<Completed> completed = c -> { };

    JdbcCollections(Transactions db, JdbcExportQueue exports, AgentNotifications notifications) {
        this.db = db;
        this.exports = exports;
        this.notifications = notifications;
    }

    @Override
    public void onCompleted(Consumer<Completed> listener) {
        this.completed = listener;
    }

    @Override
    public void configure(Policy policy) {
        this.policy = policy;
    }

    // ------------------------------------------------------------ inside a batch's transaction

    /**
     * A committed-to-be batch: opens the collections of traces it created, records the sender's
     * answers, asks every agent its breadcrumbs name, and completes what is complete. The caller
     * holds the locks of every trace of the batch.
     *
     * @param created traces this batch created
     * @param answered traces the sender answered for (its triggers and its stored entries)
     */
    void onBatch(Tx w, Batch batch, Set<String> created, Set<String> answered, long nowMs) throws SQLException {
        String sender = batch.agentId();
        Set<String> touched = new TreeSet<>();
        if (!created.isEmpty()) {
            PreparedStatement open = w.get("UPDATE traces SET collect_until_ms = ? WHERE trace_id = ?");
            for (String traceId : created) {
                open.setLong(1, nowMs);
                open.setString(2, traceId);
                open.executeUpdate();
                touched.add(traceId);
            }
        }
        PreparedStatement answer = w.get("""
                INSERT INTO collection_asks(trace_id, agent_id, asked_at_ms, delivered_at_ms, answered_at_ms)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(trace_id, agent_id) DO UPDATE SET
                  answered_at_ms = coalesce(collection_asks.answered_at_ms, excluded.answered_at_ms)""");
        for (String traceId : answered) {
            answer.setString(1, traceId);
            answer.setString(2, sender);
            answer.setLong(3, nowMs);
            answer.setLong(4, nowMs);
            answer.setLong(5, nowMs);
            answer.executeUpdate();
            touched.add(traceId);
        }
        for (Batch.TraceEntry e : batch.traces()) {
            if (!answered.contains(e.traceId())) {
                continue; // dropped: its trace is not stored
            }
            for (Batch.Breadcrumb b : e.breadcrumbs()) {
                if (b.agentId() != null) {
                    ask(w, e.traceId(), b.agentId(), nowMs);
                } else if ("callee".equals(b.role()) && b.authority() != null) {
                    askServersOf(w, e.traceId(), b.authority(), nowMs);
                }
            }
        }
        for (String traceId : touched) {
            settle(w, traceId, nowMs);
        }
    }

    /**
     * Asks {@code agentId} for a trace unless it was asked before, or is an agent of another
     * namespace (a breadcrumb names whichever peer it met); returns whether this is new.
     */
    private boolean ask(Tx w, String traceId, String agentId, long nowMs) throws SQLException {
        PreparedStatement ps = w.get("""
                INSERT INTO collection_asks(trace_id, agent_id, asked_at_ms)
                SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM agents WHERE agent_id = ? AND namespace <> ?)
                ON CONFLICT(trace_id, agent_id) DO NOTHING""");
        ps.setString(1, traceId);
        ps.setString(2, agentId);
        ps.setLong(3, nowMs);
        ps.setString(4, agentId);
        ps.setString(5, TraceKeys.namespace(traceId));
        if (ps.executeUpdate() == 0) {
            return false;
        }
        notifications.publish(w, agentId);
        reopen(w, traceId, nowMs);
        return true;
    }

    /**
     * A callee known only by the authority it was called at: every agent serving it is asked; when
     * none does yet, the authority waits for one to register with it ({@link #serves}).
     */
    private void askServersOf(Tx w, String traceId, String authority, long nowMs) throws SQLException {
        PreparedStatement servers = w.get(
                "SELECT agent_id FROM agent_authorities WHERE namespace = ? AND authority = ? ORDER BY agent_id");
        servers.setString(1, TraceKeys.namespace(traceId));
        servers.setString(2, authority);
        List<String> agents = new ArrayList<>();
        try (ResultSet rs = servers.executeQuery()) {
            while (rs.next()) {
                agents.add(rs.getString(1));
            }
        }
        for (String agentId : agents) {
            ask(w, traceId, agentId, nowMs);
        }
        if (agents.isEmpty()) {
            PreparedStatement wait = w.get("""
                    INSERT INTO collection_callees(trace_id, authority, since_ms) VALUES (?, ?, ?)
                    ON CONFLICT(trace_id, authority) DO NOTHING""");
            wait.setString(1, traceId);
            wait.setString(2, authority);
            wait.setLong(3, nowMs);
            if (wait.executeUpdate() > 0) {
                reopen(w, traceId, nowMs);
            }
        }
    }

    /** A complete trace asks again (a late breadcrumb): its collection opens for the new ask. */
    private static void reopen(Tx w, String traceId, long nowMs) throws SQLException {
        PreparedStatement ps = w.get(
                "UPDATE traces SET collect_until_ms = ? WHERE trace_id = ? AND collect_until_ms IS NULL");
        ps.setLong(1, nowMs);
        ps.setString(2, traceId);
        ps.executeUpdate();
    }

    /**
     * Sets a collecting trace's end to when its last open ask or callee runs out, or completes it
     * when nothing is open any more. Returns the completion, or null.
     */
    private Completed settle(Tx w, String traceId, long nowMs) throws SQLException {
        Long until = collectUntil(w, traceId);
        if (until == null) {
            return null; // complete, and nothing reopened it
        }
        Policy p = policy;
        PreparedStatement asks = w.get("""
                SELECT max(CASE WHEN delivered_at_ms IS NULL THEN asked_at_ms + ? ELSE delivered_at_ms + ? END)
                FROM collection_asks WHERE trace_id = ? AND answered_at_ms IS NULL""");
        asks.setLong(1, p.reconnectWaitMs());
        asks.setLong(2, p.answerTimeoutMs());
        asks.setString(3, traceId);
        Long end = firstLong(asks);
        PreparedStatement callees = w.get("SELECT max(since_ms) + ? FROM collection_callees WHERE trace_id = ?");
        callees.setLong(1, p.reconnectWaitMs());
        callees.setString(2, traceId);
        Long calleesEnd = firstLong(callees);
        if (calleesEnd != null && (end == null || calleesEnd > end)) {
            end = calleesEnd;
        }
        if (end != null && end > nowMs) {
            if (end != until.longValue()) {
                PreparedStatement ps = w.get("UPDATE traces SET collect_until_ms = ? WHERE trace_id = ?");
                ps.setLong(1, end);
                ps.setString(2, traceId);
                ps.executeUpdate();
            }
            return null;
        }
        return complete(w, traceId, nowMs);
    }

    private static Long collectUntil(Tx w, String traceId) throws SQLException {
        PreparedStatement ps = w.get("SELECT collect_until_ms FROM traces WHERE trace_id = ?");
        ps.setString(1, traceId);
        return firstLong(ps);
    }

    private Completed complete(Tx w, String traceId, long nowMs) throws SQLException {
        PreparedStatement first = w.get("SELECT completed_at_ms, triggered_at_ms FROM traces WHERE trace_id = ?");
        first.setString(1, traceId);
        boolean firstTime;
        long triggeredAt;
        try (ResultSet rs = first.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            rs.getLong(1);
            firstTime = rs.wasNull();
            triggeredAt = rs.getLong(2);
        }
        PreparedStatement done = w.get("""
                UPDATE traces SET collect_until_ms = NULL, completed_at_ms = coalesce(completed_at_ms, ?),
                  updated_at_ms = ? WHERE trace_id = ?""");
        done.setLong(1, nowMs);
        done.setLong(2, nowMs);
        done.setString(3, traceId);
        done.executeUpdate();
        PreparedStatement gaveUp = w.get("DELETE FROM collection_callees WHERE trace_id = ?");
        gaveUp.setString(1, traceId);
        gaveUp.executeUpdate();
        if (firstTime) {
            exports.enqueue(w, List.of(traceId), nowMs);
        }
        List<String> answered = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        PreparedStatement who = w.get(
                "SELECT agent_id, answered_at_ms FROM collection_asks WHERE trace_id = ? ORDER BY agent_id");
        who.setString(1, traceId);
        try (ResultSet rs = who.executeQuery()) {
            while (rs.next()) {
                rs.getLong(2);
                (rs.wasNull() ? missing : answered).add(rs.getString(1));
            }
        }
        Completed result = new Completed(traceId, triggeredAt, answered, missing);
        w.afterCommit(() -> {
            logCompleted(result, nowMs);
            completed.accept(result);
        });
        return result;
    }

    private static void logCompleted(Completed c, long nowMs) {
        if (c.missing().isEmpty()) {
            log.info("trace {} complete: {} agent(s) answered", c.traceId(), c.answered().size());
        } else {
            log.info("trace {} complete: {} agent(s) answered, no answer from {} after {} ms", c.traceId(),
                    c.answered().size(), c.missing(), nowMs - c.firstTriggerAtMs());
        }
    }

    private static Long firstLong(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Rows.nullableLong(rs, 1) : null;
        }
    }

    // ------------------------------------------------------------ on their own

    @Override
    public List<String> waitingFor(String namespace, String agentId, long nowMs) throws SQLException {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.trace_id FROM collection_asks a JOIN traces t ON t.trace_id = a.trace_id
                    WHERE a.agent_id = ? AND a.answered_at_ms IS NULL AND a.delivered_at_ms IS NULL
                      AND t.collect_until_ms IS NOT NULL AND t.namespace = ?
                    ORDER BY a.asked_at_ms, a.trace_id LIMIT 1000""")) {
                ps.setString(1, agentId);
                ps.setString(2, namespace);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(TraceKeys.traceId(rs.getString(1)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void delivered(String namespace, String agentId, Collection<String> traceIds, long nowMs)
            throws SQLException {
        if (traceIds.isEmpty()) {
            return;
        }
        TreeSet<String> sorted = new TreeSet<>();
        traceIds.forEach(id -> sorted.add(TraceKeys.key(namespace, id)));
        db.write(w -> {
            w.dialect().lockTraces(w, sorted);
            PreparedStatement ps = w.get("""
                    UPDATE collection_asks SET delivered_at_ms = ?
                    WHERE trace_id = ? AND agent_id = ? AND delivered_at_ms IS NULL""");
            for (String traceId : sorted) {
                ps.setLong(1, nowMs);
                ps.setString(2, traceId);
                ps.setString(3, agentId);
                ps.executeUpdate();
            }
            // The collection's end is not brought forward here: it is an upper bound, and the
            // sweep or the answer settles it.
            return null;
        });
    }

    @Override
    public Set<String> agentsWithWaitingAsks(long nowMs) throws SQLException {
        return db.read(c -> {
            Set<String> out = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT DISTINCT a.agent_id FROM collection_asks a JOIN traces t ON t.trace_id = a.trace_id
                    WHERE a.answered_at_ms IS NULL AND a.delivered_at_ms IS NULL AND t.collect_until_ms IS NOT NULL""");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public Set<String> serves(Registration agent, long nowMs, long liveWithinMs) throws SQLException {
        Set<String> claimed = new TreeSet<>(agent.authorities());
        return db.write(w -> {
            Set<String> refused = new TreeSet<>();
            PreparedStatement others = w.get("""
                    SELECT 1 FROM agent_authorities x JOIN agents a ON a.agent_id = x.agent_id
                    WHERE x.namespace = ? AND x.authority = ? AND x.service <> ? AND a.last_seen_at_ms >= ? LIMIT 1""");
            Set<String> accepted = new TreeSet<>();
            for (String authority : claimed) {
                others.setString(1, agent.namespace());
                others.setString(2, authority);
                others.setString(3, agent.service());
                others.setLong(4, nowMs - liveWithinMs);
                try (ResultSet rs = others.executeQuery()) {
                    (rs.next() ? refused : accepted).add(authority);
                }
            }
            PreparedStatement clear = w.get("DELETE FROM agent_authorities WHERE agent_id = ?");
            clear.setString(1, agent.agentId());
            clear.executeUpdate();
            PreparedStatement add = w.get("""
                    INSERT INTO agent_authorities(authority, agent_id, service, namespace) VALUES (?, ?, ?, ?)
                    ON CONFLICT(authority, agent_id) DO NOTHING""");
            for (String authority : accepted) {
                add.setString(1, authority);
                add.setString(2, agent.agentId());
                add.setString(3, agent.service());
                add.setString(4, agent.namespace());
                add.executeUpdate();
            }
            // Collections waiting for one of these authorities ask this agent now.
            TreeSet<String> waiting = new TreeSet<>();
            PreparedStatement find = w.get("""
                    SELECT c.trace_id FROM collection_callees c JOIN traces t ON t.trace_id = c.trace_id
                    WHERE c.authority = ? AND t.collect_until_ms IS NOT NULL AND t.namespace = ?""");
            for (String authority : accepted) {
                find.setString(1, authority);
                find.setString(2, agent.namespace());
                try (ResultSet rs = find.executeQuery()) {
                    while (rs.next()) {
                        waiting.add(rs.getString(1));
                    }
                }
            }
            if (!waiting.isEmpty()) {
                w.dialect().lockTraces(w, waiting);
                PreparedStatement resolved = w.get(
                        "DELETE FROM collection_callees WHERE trace_id = ? AND authority = ?");
                for (String traceId : waiting) {
                    ask(w, traceId, agent.agentId(), nowMs);
                    for (String authority : accepted) {
                        resolved.setString(1, traceId);
                        resolved.setString(2, authority);
                        resolved.executeUpdate();
                    }
                    settle(w, traceId, nowMs);
                }
            }
            if (!refused.isEmpty()) {
                log.warn("agent {} of service {} claims {}, served by a live agent of another service: refused",
                        agent.agentId(), agent.service(), refused);
            }
            return refused;
        });
    }

    @Override
    public List<Completed> completeDue(long nowMs, int limit) throws SQLException {
        List<String> due = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT trace_id FROM traces WHERE collect_until_ms IS NOT NULL AND collect_until_ms <= ?
                    ORDER BY collect_until_ms LIMIT ?""")) {
                ps.setLong(1, nowMs);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        List<Completed> completed = new ArrayList<>();
        for (String traceId : due) {
            // One short transaction each: a sweep never holds the writer for long.
            Completed c = db.write(w -> {
                w.dialect().lockTraces(w, List.of(traceId));
                return settle(w, traceId, nowMs);
            });
            if (c != null) {
                completed.add(c);
            }
        }
        return completed;
    }

    @Override
    public void listen(Consumer<String> agentWithWork, Runnable resync) {
        notifications.listen(agentWithWork, resync);
    }

    /** Stops listening. */
    void close() {
        notifications.close();
    }
}
