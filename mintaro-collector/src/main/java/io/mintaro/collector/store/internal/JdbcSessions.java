package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.SessionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Browser sessions in {@code sessions}. */
final class JdbcSessions implements SessionStore {
    private final Transactions db;

    JdbcSessions(Transactions db) {
        this.db = db;
    }

    @Override
    public void create(String idSha256, long nowMs, long expiresAtMs) throws SQLException {
        db.write(w -> {
            PreparedStatement expired = w.get("DELETE FROM sessions WHERE expires_at_ms <= ?");
            expired.setLong(1, nowMs);
            expired.executeUpdate();
            PreparedStatement ps = w.get("INSERT INTO sessions(id_sha256, created_at_ms, expires_at_ms) VALUES (?, ?, ?)");
            ps.setString(1, idSha256);
            ps.setLong(2, nowMs);
            ps.setLong(3, expiresAtMs);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean valid(String idSha256, long nowMs) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM sessions WHERE id_sha256 = ? AND expires_at_ms > ?")) {
                ps.setString(1, idSha256);
                ps.setLong(2, nowMs);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public void delete(String idSha256) throws SQLException {
        db.write(w -> {
            PreparedStatement ps = w.get("DELETE FROM sessions WHERE id_sha256 = ?");
            ps.setString(1, idSha256);
            ps.executeUpdate();
            return null;
        });
    }
}
