package io.mintaro.collector.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.protocol.Registration;
import io.mintaro.collector.store.AgentRow;
import io.mintaro.collector.store.AgentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Registered agents in {@code agents}. */
final class JdbcAgents implements AgentStore {
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final Transactions db;
    private final String touch;
    private final String touchWithStats;

    JdbcAgents(Transactions db) {
        this.db = db;
        String seen = "last_seen_at_ms = " + db.dialect().greatest("last_seen_at_ms", "?");
        this.touch = "UPDATE agents SET " + seen + " WHERE agent_id = ?";
        // Stats reach the store from whichever collector the agent polled; older ones never
        // replace newer ones, whatever order the collectors flush in.
        this.touchWithStats = "UPDATE agents SET " + seen + ", stats = CASE WHEN stats_at_ms IS NULL OR stats_at_ms <= ?"
                + " THEN ? ELSE stats END, stats_at_ms = " + db.dialect().greatest("coalesce(stats_at_ms, 0)", "?")
                + " WHERE agent_id = ?";
    }

    @Override
    public boolean upsert(Registration r, long nowMs) throws SQLException {
        return db.write(w -> {
            // An agent id stays in the namespace it first registered in: a key of another
            // namespace cannot take its asks over.
            PreparedStatement ps = w.get("""
                    INSERT INTO agents(agent_id, service, version, host, pid, sdk, authorities, registered_at_ms,
                                       last_seen_at_ms, namespace)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(agent_id) DO UPDATE SET service = excluded.service, version = excluded.version,
                      host = excluded.host, pid = excluded.pid, sdk = excluded.sdk, authorities = excluded.authorities,
                      registered_at_ms = excluded.registered_at_ms, last_seen_at_ms = excluded.last_seen_at_ms
                    WHERE agents.namespace = excluded.namespace
                    """);
            ps.setString(1, r.agentId());
            ps.setString(2, r.service());
            ps.setString(3, r.version());
            ps.setString(4, r.host());
            Rows.setLong(ps, 5, r.pid());
            ps.setString(6, r.sdk());
            ps.setString(7, new String(Json.bytes(r.authorities()), StandardCharsets.UTF_8));
            ps.setLong(8, nowMs);
            ps.setLong(9, nowMs);
            ps.setString(10, r.namespace());
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public Optional<Registration> find(String agentId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT service, host, pid, sdk, authorities, version, namespace FROM agents WHERE agent_id = ?")) {
                ps.setString(1, agentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    List<String> authorities;
                    try {
                        authorities = Json.MAPPER.readValue(rs.getString(5), STRING_LIST);
                    } catch (IOException e) {
                        authorities = List.of();
                    }
                    return Optional.of(new Registration(agentId, rs.getString(1), rs.getString(6), rs.getString(2),
                            Rows.nullableLong(rs, 3), rs.getString(4), authorities, rs.getString(7)));
                }
            }
        });
    }

    @Override
    public void touch(Map<String, Seen> seenByAgent) throws SQLException {
        if (seenByAgent.isEmpty()) {
            return;
        }
        // In agent order: concurrent collectors update the rows in one order.
        Map<String, Seen> sorted = new TreeMap<>(seenByAgent);
        db.write(w -> {
            PreparedStatement seenOnly = w.get(touch);
            PreparedStatement withStats = w.get(touchWithStats);
            for (Map.Entry<String, Seen> e : sorted.entrySet()) {
                AgentStats stats = e.getValue().stats();
                if (stats == null) {
                    seenOnly.setLong(1, e.getValue().lastSeenAtMs());
                    seenOnly.setString(2, e.getKey());
                    seenOnly.executeUpdate();
                } else {
                    withStats.setLong(1, e.getValue().lastSeenAtMs());
                    withStats.setLong(2, stats.receivedAtMs());
                    withStats.setString(3, Json.string(stats.toJson()));
                    withStats.setLong(4, stats.receivedAtMs());
                    withStats.setString(5, e.getKey());
                    withStats.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<AgentRow> seenSince(String namespace, String service, long sinceMs) throws SQLException {
        String sql = "SELECT agent_id, service, version, host, pid, sdk, registered_at_ms, last_seen_at_ms, stats"
                + " FROM agents WHERE namespace = ? AND last_seen_at_ms >= ?" + (service == null ? "" : " AND service = ?")
                + " ORDER BY service, agent_id";
        return db.read(c -> {
            List<AgentRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, namespace);
                ps.setLong(2, sinceMs);
                if (service != null) {
                    ps.setString(3, service);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AgentRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                Rows.nullableLong(rs, 5), rs.getString(6), rs.getLong(7), rs.getLong(8),
                                stats(rs.getString(9))));
                    }
                }
            }
            return out;
        });
    }

    /** Stored stats, or null when there are none or they cannot be read (they are diagnostics only). */
    private static AgentStats stats(String json) {
        if (json == null) {
            return null;
        }
        try {
            return AgentStats.fromJson(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            return null;
        }
    }
}
