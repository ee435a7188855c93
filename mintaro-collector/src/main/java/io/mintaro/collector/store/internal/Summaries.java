package io.mintaro.collector.store.internal;

import io.mintaro.collector.internal.Json;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Recomputes a trace's summary row from its records (inside the batch's transaction). */
final class Summaries {
    /**
     * What a record row takes beside its payload and bodies (keys, columns, index entries), and
     * what a trace takes beside its records (its summary, triggers, breadcrumbs, retrieval state):
     * {@code stored_bytes} estimates the trace's share of the database with them (schema 11,
     * docs/retention.md, "What a stored byte is": measured on SQLite).
     */
    static final long ROW_BYTES = 256;
    static final long TRACE_BYTES = 2_048;

    private final Grouping grouping;

    Summaries(Dialect dialect) {
        this(dialect, false);
    }

    /** @param beforeSchema9 see {@link Grouping#Grouping(Dialect, boolean)} */
    Summaries(Dialect dialect, boolean beforeSchema9) {
        this.grouping = new Grouping(dialect, beforeSchema9);
    }

    void recompute(Tx w, String traceId, long nowMs) throws SQLException {
        // Root: a span without a parent, or whose parent is not in the trace; the earliest wins,
        // a true root before an orphan at the same instant.
        String rootName = null;
        Long rootStart = null;
        Long rootEnd = null;
        PreparedStatement root = w.get("""
                SELECT s.name, s.start_us, s.end_us FROM spans s
                WHERE s.trace_id = ? AND (s.parent_span_id IS NULL OR NOT EXISTS (
                  SELECT 1 FROM spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))
                ORDER BY s.start_us, s.parent_span_id IS NOT NULL, s.span_id LIMIT 1""");
        root.setString(1, traceId);
        try (ResultSet rs = root.executeQuery()) {
            if (rs.next()) {
                rootName = rs.getString(1);
                rootStart = rs.getLong(2);
                rootEnd = Rows.nullableLong(rs, 3);
            }
        }
        Extent spans = extent(w, """
                SELECT count(*), min(start_us), max(coalesce(end_us, start_us)), count(*) FILTER (WHERE status = 'failed'),
                       sum(octet_length(payload))
                FROM spans WHERE trace_id = ?""", traceId);
        Extent messages = extent(w, """
                SELECT count(*), min(start_us), max(start_us + coalesce(duration_us, 0)),
                       count(*) FILTER (WHERE direction = 'inbound' AND status >= 500),
                       sum(octet_length(payload) + coalesce(octet_length(request_body), 0)
                         + coalesce(octet_length(response_body), 0))
                FROM messages WHERE trace_id = ?""", traceId);
        Extent logs = extent(w,
                "SELECT count(*), min(time_us), max(time_us), 0, sum(octet_length(payload)) FROM logs WHERE trace_id = ?", traceId);
        String triggerKind = null;
        String triggerReason = null;
        String triggerService = null;
        Long triggeredAt = null;
        PreparedStatement firstTrigger = w.get("""
                SELECT kind, reason, service, at_ms FROM triggers WHERE trace_id = ?
                ORDER BY at_ms, received_at_ms, agent_id LIMIT 1""");
        firstTrigger.setString(1, traceId);
        try (ResultSet rs = firstTrigger.executeQuery()) {
            if (rs.next()) {
                triggerKind = rs.getString(1);
                triggerReason = rs.getString(2).isEmpty() ? null : rs.getString(2);
                triggerService = rs.getString(3);
                triggeredAt = rs.getLong(4);
            }
        }
        long errorTriggers;
        long slowTriggers;
        PreparedStatement triggerKinds = w.get(
                "SELECT count(*) FILTER (WHERE kind = 'error'), count(*) FILTER (WHERE kind = 'slow') FROM triggers WHERE trace_id = ?");
        triggerKinds.setString(1, traceId);
        try (ResultSet rs = triggerKinds.executeQuery()) {
            rs.next();
            errorTriggers = rs.getLong(1);
            slowTriggers = rs.getLong(2);
        }
        List<String> services = new ArrayList<>();
        PreparedStatement servicesQuery = w.get("""
                SELECT service FROM spans WHERE trace_id = ?
                UNION SELECT service FROM messages WHERE trace_id = ?
                UNION SELECT service FROM logs WHERE trace_id = ?
                UNION SELECT service FROM triggers WHERE trace_id = ?
                ORDER BY 1""");
        for (int i = 1; i <= 4; i++) {
            servicesQuery.setString(i, traceId);
        }
        try (ResultSet rs = servicesQuery.executeQuery()) {
            while (rs.next()) {
                services.add(rs.getString(1));
            }
        }

        // Without spans, the trace's extent comes from whatever else was recorded.
        Long startedAt = spans.min() != null ? spans.min() : min(messages.min(), logs.min());
        Long endedAt = spans.min() != null ? spans.max() : max(messages.max(), logs.max());
        if (startedAt == null && triggeredAt != null) {
            startedAt = triggeredAt * 1000;
            endedAt = startedAt;
        }
        Long duration;
        if (rootStart != null && rootEnd != null) {
            duration = rootEnd - rootStart;
        } else if (startedAt != null && endedAt != null) {
            duration = Math.max(0, endedAt - startedAt);
        } else {
            duration = null;
        }
        String status = errorTriggers > 0 || spans.failures() > 0 || messages.failures() > 0 ? "error"
                : slowTriggers > 0 ? "slow" : "ok";

        Grouping.Group group = grouping.compute(w, traceId, status, rootName);

        PreparedStatement update = w.get("""
                UPDATE traces SET name = ?, status = ?, services = ?, started_at_us = ?, duration_us = ?,
                  trigger_kind = ?, trigger_reason = ?, trigger_service = ?, triggered_at_ms = ?, updated_at_ms = ?,
                  span_count = ?, message_count = ?, log_count = ?,
                  fingerprint = ?, group_service = ?, group_endpoint = ?, group_problem = ?, group_kind = ?,
                  stored_bytes = ?
                WHERE trace_id = ?""");
        update.setString(1, rootName);
        update.setString(2, status);
        update.setString(3, new String(Json.bytes(services), StandardCharsets.UTF_8));
        update.setObject(4, startedAt);
        update.setObject(5, duration);
        update.setString(6, triggerKind);
        update.setString(7, triggerReason);
        update.setString(8, triggerService);
        update.setObject(9, triggeredAt);
        update.setLong(10, nowMs);
        update.setLong(11, spans.count());
        update.setLong(12, messages.count());
        update.setLong(13, logs.count());
        setGroup(update, 14, group);
        update.setLong(19, spans.bytes() + messages.bytes() + logs.bytes()
                + ROW_BYTES * (spans.count() + messages.count() + logs.count()) + TRACE_BYTES);
        update.setString(20, traceId);
        update.executeUpdate();
    }

    /**
     * Recomputes only the group columns of a trace from its stored records and summary (the
     * migration to schema 2 fills them this way for traces stored before).
     */
    void regroup(Tx w, String traceId, String status, String name) throws SQLException {
        Grouping.Group group = grouping.compute(w, traceId, status, name);
        PreparedStatement ps = w.get("""
                UPDATE traces SET fingerprint = ?, group_service = ?, group_endpoint = ?, group_problem = ?,
                  group_kind = ?
                WHERE trace_id = ?""");
        setGroup(ps, 1, group);
        ps.setString(6, traceId);
        ps.executeUpdate();
    }

    private static void setGroup(PreparedStatement ps, int first, Grouping.Group group) throws SQLException {
        ps.setString(first, group.fingerprint());
        ps.setString(first + 1, group.service());
        ps.setString(first + 2, group.endpoint());
        ps.setString(first + 3, group.problem());
        ps.setString(first + 4, group.kind());
    }

    /**
     * One kind of record in a trace: how many, the first and last time, and how many are failures
     * (failed spans, inbound 5xx answers; none for logs), and their stored bytes.
     */
    private record Extent(long count, Long min, Long max, long failures, long bytes) {
    }

    /** Runs {@code sql}, which selects count, min, max, failures and bytes for one trace id. */
    private static Extent extent(Tx w, String sql, String traceId) throws SQLException {
        PreparedStatement ps = w.get(sql);
        ps.setString(1, traceId);
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Extent(rs.getLong(1), Rows.nullableLong(rs, 2), Rows.nullableLong(rs, 3), rs.getLong(4),
                    rs.getLong(5));
        }
    }

    private static Long min(Long a, Long b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Long.valueOf(Math.min(a, b));
    }

    private static Long max(Long a, Long b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Long.valueOf(Math.max(a, b));
    }
}
