package io.mintaro.collector.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.protocol.Registration;
import io.mintaro.collector.store.AgentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Registered agents in {@code agents}; the generated key in {@code meta}. */
final class JdbcAgents implements AgentStore {
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final Transactions db;
    private final String touch;

    JdbcAgents(Transactions db) {
        this.db = db;
        this.touch = "UPDATE agents SET last_seen_at_ms = " + db.dialect().greatest("last_seen_at_ms", "?")
                + " WHERE agent_id = ?";
    }

    @Override
    public void upsert(Registration r, long nowMs) throws SQLException {
        db.write(w -> {
            PreparedStatement ps = w.get("""
                    INSERT INTO agents(agent_id, service, host, pid, sdk, authorities, registered_at_ms, last_seen_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(agent_id) DO UPDATE SET service = excluded.service, host = excluded.host,
                      pid = excluded.pid, sdk = excluded.sdk, authorities = excluded.authorities,
                      registered_at_ms = excluded.registered_at_ms, last_seen_at_ms = excluded.last_seen_at_ms
                    """);
            ps.setString(1, r.agentId());
            ps.setString(2, r.service());
            ps.setString(3, r.host());
            Rows.setLong(ps, 4, r.pid());
            ps.setString(5, r.sdk());
            ps.setString(6, new String(Json.bytes(r.authorities()), StandardCharsets.UTF_8));
            ps.setLong(7, nowMs);
            ps.setLong(8, nowMs);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public Optional<Registration> find(String agentId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT service, host, pid, sdk, authorities FROM agents WHERE agent_id = ?")) {
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
                    return Optional.of(new Registration(agentId, rs.getString(1), rs.getString(2),
                            Rows.nullableLong(rs, 3), rs.getString(4), authorities));
                }
            }
        });
    }

    @Override
    public void touch(Map<String, Long> lastSeenByAgent) throws SQLException {
        if (lastSeenByAgent.isEmpty()) {
            return;
        }
        // In agent order: concurrent collectors update the rows in one order.
        Map<String, Long> sorted = new TreeMap<>(lastSeenByAgent);
        db.write(w -> {
            PreparedStatement ps = w.get(touch);
            for (Map.Entry<String, Long> e : sorted.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public String generatedApiKey(Supplier<String> generator) throws SQLException {
        return db.write(w -> {
            try (ResultSet rs = w.get("SELECT value FROM meta WHERE key = 'generated_api_key'").executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            // Two collectors starting at once on one database: the first key wins.
            PreparedStatement ps = w.get(
                    "INSERT INTO meta(key, value) VALUES ('generated_api_key', ?) ON CONFLICT(key) DO NOTHING");
            ps.setString(1, generator.get());
            ps.executeUpdate();
            try (ResultSet rs = w.get("SELECT value FROM meta WHERE key = 'generated_api_key'").executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }
}
