package io.mintaro.collector.store.internal;

import io.mintaro.collector.alerts.AlertDelivery;
import io.mintaro.collector.alerts.AlertRule;
import io.mintaro.collector.alerts.GroupActivity;
import io.mintaro.collector.store.AlertStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Alert rules and the delivery outbox. */
final class JdbcAlerts implements AlertStore {
    private static final String RULE_COLUMNS =
            "id, namespace, kind, url, format, secret, threshold, window_ms, rate_limit, created_at_ms";
    private static final String DELIVERY_COLUMNS = "event_key, rule_id, namespace, kind, payload, state, attempts,"
            + " last_status, last_error, created_at_ms, delivered_at_ms";

    private final Transactions db;

    JdbcAlerts(Transactions db) {
        this.db = db;
    }

    @Override
    public List<AlertRule> rules() throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + RULE_COLUMNS + " FROM alert_rules ORDER BY created_at_ms, id");
                    ResultSet rs = ps.executeQuery()) {
                List<AlertRule> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rule(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<AlertRule> rule(String id) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RULE_COLUMNS + " FROM alert_rules WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rule(rs)) : Optional.<AlertRule>empty();
                }
            }
        });
    }

    private static AlertRule rule(ResultSet rs) throws SQLException {
        return new AlertRule(rs.getString(1), rs.getString(2), AlertRule.Kind.parse(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getInt(9), rs.getLong(10));
    }

    @Override
    public void saveRule(AlertRule r) throws SQLException {
        db.write(tx -> {
            PreparedStatement ps = tx.get("INSERT INTO alert_rules(" + RULE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT(id) DO UPDATE SET namespace = excluded.namespace, kind = excluded.kind,"
                    + " url = excluded.url, format = excluded.format, secret = excluded.secret,"
                    + " threshold = excluded.threshold, window_ms = excluded.window_ms, rate_limit = excluded.rate_limit");
            ps.setString(1, r.id());
            ps.setString(2, r.namespace());
            ps.setString(3, r.kind().wire());
            ps.setString(4, r.url());
            ps.setString(5, r.format());
            ps.setString(6, r.secret());
            ps.setLong(7, r.threshold());
            ps.setLong(8, r.windowMs());
            ps.setInt(9, r.rateLimit());
            ps.setLong(10, r.createdAtMs());
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean deleteRule(String id) throws SQLException {
        return db.write(tx -> {
            PreparedStatement ps = tx.get("DELETE FROM alert_rules WHERE id = ?");
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public boolean enqueue(String eventKey, String ruleId, String namespace, String kind, String payload,
            String state, long nowMs) throws SQLException {
        return db.write(tx -> {
            PreparedStatement ps = tx.get("INSERT INTO alert_deliveries(event_key, rule_id, namespace, kind, payload,"
                    + " state, next_attempt_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT(event_key) DO NOTHING");
            ps.setString(1, eventKey);
            ps.setString(2, ruleId);
            ps.setString(3, namespace);
            ps.setString(4, kind);
            ps.setString(5, payload);
            ps.setString(6, state);
            ps.setLong(7, nowMs);
            ps.setLong(8, nowMs);
            return ps.executeUpdate() > 0;
        });
    }

    @Override
    public boolean queued(String eventKey) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM alert_deliveries WHERE event_key = ?")) {
                ps.setString(1, eventKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public int queuedSince(String ruleId, long sinceMs) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM alert_deliveries WHERE rule_id = ?"
                    + " AND created_at_ms >= ? AND state NOT IN ('suppressed', 'summarised')")) {
                ps.setString(1, ruleId);
                ps.setLong(2, sinceMs);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public int takeSuppressed(String ruleId) throws SQLException {
        return db.write(tx -> {
            PreparedStatement ps = tx.get(
                    "UPDATE alert_deliveries SET state = 'summarised' WHERE rule_id = ? AND state = 'suppressed'");
            ps.setString(1, ruleId);
            return ps.executeUpdate();
        });
    }

    @Override
    public List<AlertDelivery> claim(long nowMs, long leaseMs, int max) throws SQLException {
        List<String> due = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_key FROM alert_deliveries"
                    + " WHERE state = 'pending' AND next_attempt_at_ms <= ?"
                    + " AND (lease_until_ms IS NULL OR lease_until_ms <= ?) ORDER BY next_attempt_at_ms LIMIT ?")) {
                ps.setLong(1, nowMs);
                ps.setLong(2, nowMs);
                ps.setInt(3, max);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                }
            }
        });
        List<AlertDelivery> claimed = new ArrayList<>();
        for (String key : due) {
            // The conditional UPDATE is the claim: of two collectors, only one changes the row.
            AlertDelivery d = db.write(tx -> {
                PreparedStatement ps = tx.get("UPDATE alert_deliveries SET lease_until_ms = ? WHERE event_key = ?"
                        + " AND state = 'pending' AND next_attempt_at_ms <= ?"
                        + " AND (lease_until_ms IS NULL OR lease_until_ms <= ?)");
                ps.setLong(1, nowMs + leaseMs);
                ps.setString(2, key);
                ps.setLong(3, nowMs);
                ps.setLong(4, nowMs);
                if (ps.executeUpdate() == 0) {
                    return null;
                }
                PreparedStatement read = tx.get("SELECT " + DELIVERY_COLUMNS + " FROM alert_deliveries WHERE event_key = ?");
                read.setString(1, key);
                try (ResultSet rs = read.executeQuery()) {
                    return rs.next() ? delivery(rs) : null;
                }
            });
            if (d != null) {
                claimed.add(d);
            }
        }
        return claimed;
    }

    private static AlertDelivery delivery(ResultSet rs) throws SQLException {
        int status = rs.getInt(8);
        Integer lastStatus = rs.wasNull() ? null : status;
        long delivered = rs.getLong(11);
        Long deliveredAt = rs.wasNull() ? null : delivered;
        return new AlertDelivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), lastStatus, rs.getString(9), rs.getLong(10), deliveredAt);
    }

    @Override
    public void delivered(String eventKey, int status, long nowMs) throws SQLException {
        db.write(tx -> {
            PreparedStatement ps = tx.get("UPDATE alert_deliveries SET state = 'delivered', attempts = attempts + 1,"
                    + " last_status = ?, last_error = NULL, delivered_at_ms = ?, lease_until_ms = NULL WHERE event_key = ?");
            ps.setInt(1, status);
            ps.setLong(2, nowMs);
            ps.setString(3, eventKey);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public void attemptFailed(String eventKey, Integer status, String error, Long retryAtMs) throws SQLException {
        db.write(tx -> {
            PreparedStatement ps = tx.get("UPDATE alert_deliveries SET attempts = attempts + 1, last_status = ?,"
                    + " last_error = ?, lease_until_ms = NULL, state = CASE WHEN ? THEN 'pending' ELSE 'failed' END,"
                    + " next_attempt_at_ms = CASE WHEN ? THEN ? ELSE next_attempt_at_ms END WHERE event_key = ?");
            if (status == null) {
                ps.setNull(1, Types.INTEGER);
            } else {
                ps.setInt(1, status);
            }
            ps.setString(2, error);
            ps.setBoolean(3, retryAtMs != null);
            ps.setBoolean(4, retryAtMs != null);
            ps.setLong(5, retryAtMs == null ? 0 : retryAtMs);
            ps.setString(6, eventKey);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public List<AlertDelivery> deliveries(String namespace, int limit) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DELIVERY_COLUMNS + " FROM alert_deliveries"
                    + (namespace == null ? "" : " WHERE namespace = ?") + " ORDER BY created_at_ms DESC, event_key LIMIT ?")) {
                int i = 1;
                if (namespace != null) {
                    ps.setString(i++, namespace);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<AlertDelivery> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(delivery(rs));
                    }
                    return out;
                }
            }
        });
    }

    @Override
    public List<GroupActivity> activity(String namespace, Collection<String> traceIds, long windowStartMs)
            throws SQLException {
        return db.read(c -> {
            List<GroupActivity> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.trace_id, t.fingerprint,"
                    + " (SELECT count(*) FROM traces g WHERE g.namespace = t.namespace AND g.fingerprint = t.fingerprint),"
                    + " (SELECT count(*) FROM traces g WHERE g.namespace = t.namespace AND g.fingerprint = t.fingerprint"
                    + " AND g.created_at_ms >= ?), tr.mark, tr.level, tr.silenced_until_ms, tr.updated_at_ms, t.created_at_ms"
                    + " FROM traces t LEFT JOIN triage tr ON tr.fingerprint = t.fingerprint"
                    + " WHERE t.namespace = ? AND t.trace_id = ? AND t.fingerprint IS NOT NULL")) {
                for (String traceId : traceIds) {
                    ps.setLong(1, windowStartMs);
                    ps.setString(2, namespace);
                    // Outside the default namespace a trace is stored under its key (TraceKeys).
                    ps.setString(3, TraceKeys.key(namespace, traceId));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            long until = rs.getLong(7);
                            Long silencedUntil = rs.wasNull() ? null : until;
                            long triaged = rs.getLong(8);
                            Long triagedAt = rs.wasNull() ? null : triaged;
                            String mark = rs.getString(5);
                            String level = rs.getString(6);
                            out.add(new GroupActivity(TraceKeys.traceId(rs.getString(1)), rs.getString(2), rs.getLong(3),
                                    rs.getLong(4), mark == null ? "none" : mark, level == null ? "none" : level, silencedUntil,
                                    triagedAt, rs.getLong(9)));
                        }
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<String> groupsWithTraces(String namespace, String level, long fromMs, long toMs, long nowMs)
            throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT t.fingerprint FROM traces t"
                    + " JOIN triage tr ON tr.fingerprint = t.fingerprint WHERE t.namespace = ? AND tr.level = ?"
                    + " AND t.created_at_ms >= ? AND t.created_at_ms < ?"
                    + " AND NOT (coalesce(tr.mark, 'none') = 'silenced' AND coalesce(tr.silenced_until_ms, ?) >= ?)"
                    + " ORDER BY t.fingerprint")) {
                ps.setString(1, namespace);
                ps.setString(2, level);
                ps.setLong(3, fromMs);
                ps.setLong(4, toMs);
                ps.setLong(5, Long.MAX_VALUE); // silenced for ever
                ps.setLong(6, nowMs + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    List<String> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                    return out;
                }
            }
        });
    }
}
