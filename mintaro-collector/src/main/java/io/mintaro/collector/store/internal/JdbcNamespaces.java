package io.mintaro.collector.store.internal;

import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.NamespaceRow;
import io.mintaro.collector.internal.Sha256;
import io.mintaro.collector.store.NamespaceStore;
import io.mintaro.collector.store.StoredUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Namespaces in {@code namespaces}, keys in {@code api_keys}. */
final class JdbcNamespaces implements NamespaceStore {
    private static final String KEY_COLUMNS =
            "id, namespace, kind, label, created_at_ms, expires_at_ms, revoked_at_ms, last_used_at_ms";

    private static final String COLUMNS = "SELECT name, created_at_ms, retention_max_age_ms, retention_max_bytes,"
            + " usage_traces, usage_bytes, usage_at_ms, usage_oldest_ms";

    private final Transactions db;
    private final String used;

    JdbcNamespaces(Transactions db) {
        this.db = db;
        this.used = "UPDATE api_keys SET last_used_at_ms = "
                + db.dialect().greatest("coalesce(last_used_at_ms, 0)", "?") + " WHERE id = ?";
    }

    @Override
    public boolean create(String name, long nowMs) throws SQLException {
        return db.write(w -> {
            PreparedStatement ps = w.get(
                    "INSERT INTO namespaces(name, created_at_ms) VALUES (?, ?) ON CONFLICT(name) DO NOTHING");
            ps.setString(1, name);
            ps.setLong(2, nowMs);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public List<NamespaceRow> list() throws SQLException {
        return db.read(c -> namespaces(c, COLUMNS + " FROM namespaces ORDER BY name", null));
    }

    @Override
    public Optional<NamespaceRow> get(String name) throws SQLException {
        return db.read(c -> namespaces(c, COLUMNS + " FROM namespaces WHERE name = ?", name)).stream().findFirst();
    }

    private static List<NamespaceRow> namespaces(Connection c, String sql, String name) throws SQLException {
        List<NamespaceRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long usageAt = Rows.nullableLong(rs, 7);
                    StoredUsage usage = usageAt == null ? null
                            : new StoredUsage(rs.getLong(5), rs.getLong(6), Rows.nullableLong(rs, 8), usageAt);
                    out.add(new NamespaceRow(rs.getString(1), rs.getLong(2), Rows.nullableLong(rs, 3),
                            Rows.nullableLong(rs, 4), usage));
                }
            }
        }
        return out;
    }

    @Override
    public boolean retention(String name, Long maxAgeMs, Long maxBytes) throws SQLException {
        return db.write(w -> {
            PreparedStatement ps = w.get(
                    "UPDATE namespaces SET retention_max_age_ms = ?, retention_max_bytes = ? WHERE name = ?");
            Rows.setLong(ps, 1, maxAgeMs);
            Rows.setLong(ps, 2, maxBytes);
            ps.setString(3, name);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public void addKey(ApiKey key, String keySha256) throws SQLException {
        db.write(w -> {
            PreparedStatement ps = w.get("INSERT INTO api_keys(" + KEY_COLUMNS + ", key_sha256)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, key.id());
            ps.setString(2, key.namespace());
            ps.setString(3, key.kind().wire());
            ps.setString(4, key.label());
            ps.setLong(5, key.createdAtMs());
            Rows.setLong(ps, 6, key.expiresAtMs());
            Rows.setLong(ps, 7, key.revokedAtMs());
            Rows.setLong(ps, 8, key.lastUsedAtMs());
            ps.setString(9, keySha256);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public Optional<ApiKey> keyByHash(String keySha256) throws SQLException {
        return db.read(c -> keys(c, "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_sha256 = ?", keySha256))
                .stream().findFirst();
    }

    @Override
    public List<ApiKey> keys(String namespace) throws SQLException {
        return db.read(c -> keys(c, "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE namespace = ?"
                + " ORDER BY created_at_ms, id", namespace));
    }

    @Override
    public Optional<ApiKey> key(String namespace, String id) throws SQLException {
        return db.read(c -> keys(c, "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE namespace = ? AND id = ?",
                namespace, id)).stream().findFirst();
    }

    private static List<ApiKey> keys(Connection c, String sql, String... args) throws SQLException {
        List<ApiKey> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKey(rs.getString(1), rs.getString(2), ApiKey.Kind.parse(rs.getString(3)),
                            rs.getString(4), rs.getLong(5), Rows.nullableLong(rs, 6), Rows.nullableLong(rs, 7),
                            Rows.nullableLong(rs, 8)));
                }
            }
        }
        return out;
    }

    @Override
    public boolean revoke(String namespace, String id, long nowMs) throws SQLException {
        return db.write(w -> {
            PreparedStatement ps = w.get("UPDATE api_keys SET revoked_at_ms = ?"
                    + " WHERE namespace = ? AND id = ? AND revoked_at_ms IS NULL");
            ps.setLong(1, nowMs);
            ps.setString(2, namespace);
            ps.setString(3, id);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public boolean expire(String namespace, String id, long atMs) throws SQLException {
        return db.write(w -> {
            PreparedStatement ps = w.get("UPDATE api_keys SET expires_at_ms = CASE"
                    + " WHEN expires_at_ms IS NOT NULL AND expires_at_ms < ? THEN expires_at_ms ELSE ? END"
                    + " WHERE namespace = ? AND id = ? AND revoked_at_ms IS NULL");
            ps.setLong(1, atMs);
            ps.setLong(2, atMs);
            ps.setString(3, namespace);
            ps.setString(4, id);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public boolean anyKey() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_keys LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void used(Map<String, Long> lastUsedById) throws SQLException {
        if (lastUsedById.isEmpty()) {
            return;
        }
        Map<String, Long> sorted = new TreeMap<>(lastUsedById); // one row order for concurrent collectors
        db.write(w -> {
            PreparedStatement ps = w.get(used);
            for (Map.Entry<String, Long> e : sorted.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, e.getKey());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * A key generated by a collector before version 8 was kept in {@code meta} as plain text: it
     * becomes an admin key of the default namespace, stored as its hash, and the text is deleted.
     */
    void adoptGeneratedKey(long nowMs) throws SQLException {
        db.write(w -> {
            String text;
            try (ResultSet rs = w.get("SELECT value FROM meta WHERE key = 'generated_api_key'").executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                text = rs.getString(1);
            }
            PreparedStatement add = w.get("INSERT INTO api_keys(id, namespace, kind, key_sha256, label, created_at_ms)"
                    + " VALUES ('generated', 'default', 'admin', ?, 'generated on first start', ?)"
                    + " ON CONFLICT DO NOTHING");
            add.setString(1, Sha256.hex(text));
            add.setLong(2, nowMs);
            add.executeUpdate();
            w.get("DELETE FROM meta WHERE key = 'generated_api_key'").executeUpdate();
            return null;
        });
    }
}
