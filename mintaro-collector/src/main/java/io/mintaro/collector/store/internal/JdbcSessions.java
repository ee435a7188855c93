package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.SessionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/** Browser sessions in {@code sessions}, their namespaces in {@code session_namespaces}. */
final class JdbcSessions implements SessionStore {
    private final Transactions db;

    JdbcSessions(Transactions db) {
        this.db = db;
    }

    @Override
    public void create(String idSha256, String namespace, long nowMs, long expiresAtMs) throws SQLException {
        db.write(w -> {
            PreparedStatement expiredNamespaces = w.get("DELETE FROM session_namespaces WHERE id_sha256 IN"
                    + " (SELECT id_sha256 FROM sessions WHERE expires_at_ms <= ?)");
            expiredNamespaces.setLong(1, nowMs);
            expiredNamespaces.executeUpdate();
            PreparedStatement expired = w.get("DELETE FROM sessions WHERE expires_at_ms <= ?");
            expired.setLong(1, nowMs);
            expired.executeUpdate();
            PreparedStatement ps = w.get("INSERT INTO sessions(id_sha256, created_at_ms, expires_at_ms) VALUES (?, ?, ?)");
            ps.setString(1, idSha256);
            ps.setLong(2, nowMs);
            ps.setLong(3, expiresAtMs);
            ps.executeUpdate();
            insertNamespace(w, idSha256, namespace);
            return null;
        });
    }

    @Override
    public boolean addNamespace(String idSha256, String namespace, long nowMs) throws SQLException {
        return db.write(w -> {
            PreparedStatement live = w.get("SELECT 1 FROM sessions WHERE id_sha256 = ? AND expires_at_ms > ?");
            live.setString(1, idSha256);
            live.setLong(2, nowMs);
            try (ResultSet rs = live.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
            insertNamespace(w, idSha256, namespace);
            return true;
        });
    }

    private static void insertNamespace(Tx w, String idSha256, String namespace) throws SQLException {
        PreparedStatement ps = w.get("INSERT INTO session_namespaces(id_sha256, namespace) VALUES (?, ?)"
                + " ON CONFLICT DO NOTHING");
        ps.setString(1, idSha256);
        ps.setString(2, namespace);
        ps.executeUpdate();
    }

    @Override
    public Set<String> namespaces(String idSha256, long nowMs) throws SQLException {
        return db.read(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT n.namespace FROM sessions s JOIN session_namespaces n ON n.id_sha256 = s.id_sha256
                    WHERE s.id_sha256 = ? AND s.expires_at_ms > ?""")) {
                ps.setString(1, idSha256);
                ps.setLong(2, nowMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void delete(String idSha256) throws SQLException {
        db.write(w -> {
            PreparedStatement namespaces = w.get("DELETE FROM session_namespaces WHERE id_sha256 = ?");
            namespaces.setString(1, idSha256);
            namespaces.executeUpdate();
            PreparedStatement ps = w.get("DELETE FROM sessions WHERE id_sha256 = ?");
            ps.setString(1, idSha256);
            ps.executeUpdate();
            return null;
        });
    }
}
