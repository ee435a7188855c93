package io.mintaro.collector.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.store.TagFilter;
import io.mintaro.collector.store.TraceDetail;
import io.mintaro.collector.store.TracePage;
import io.mintaro.collector.store.TraceQuery;
import io.mintaro.collector.store.TraceStore;
import io.mintaro.collector.store.TraceSummary;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Trace searches and whole traces. */
final class JdbcTraces implements TraceStore {
    static final String SUMMARY_COLUMNS = "t.trace_id, t.name, t.status, t.services, t.started_at_us, "
            + "t.duration_us, t.trigger_kind, t.trigger_reason, t.trigger_service, t.triggered_at_ms, "
            + "t.completed_at_ms, t.updated_at_ms, t.span_count, t.message_count, t.log_count";
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final Transactions db;
    private final TraceFilters filters;

    JdbcTraces(Transactions db) {
        this.db = db;
        this.filters = new TraceFilters(db.dialect());
    }

    @Override
    public TracePage find(TraceQuery q) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE t.namespace = ?");
        List<Object> args = new ArrayList<>();
        args.add(q.namespace());
        if (q.status() != null) {
            where.append(" AND t.status = ?");
            args.add(q.status());
        }
        if (q.fingerprint() != null) {
            where.append(" AND t.fingerprint = ?");
            args.add(q.fingerprint());
        }
        filters.append(where, args, q.service(), q.text(), q.fromUs(), q.toUs());
        filters.appendTags(where, args, q.namespace(), q.tags());
        // The page's ids first, then their rows: skipping the rows of earlier pages reads only the
        // index (traces_by_start, traces_by_fingerprint hold the order and the id), not the table.
        String order = " ORDER BY t.started_at_us DESC, t.trace_id DESC";
        String ids = "SELECT t.trace_id FROM traces t" + where + order;
        List<Object> idArgs = args;
        String count = "SELECT count(*) FROM traces t" + where;
        List<Object> countArgs = args;
        boolean groupOnly = q.fingerprint() != null && q.status() == null && q.service() == null && q.text() == null
                && q.fromUs() == null && q.toUs() == null && q.tags().isEmpty();
        boolean tagOnly = q.tags().tags().size() == 1 && q.fingerprint() == null && q.status() == null
                && q.service() == null && q.text() == null;
        if (groupOnly) {
            // A group's traces alone: their number is kept in group_stats, not counted again.
            count = "SELECT coalesce(sum(traces), 0) FROM group_stats WHERE namespace = ? AND fingerprint = ?";
        } else if (tagOnly) {
            // One tag alone: trace_tags_by_value holds its traces in order, with their start.
            TagFilter.Tag tag = q.tags().tags().get(0);
            StringBuilder tagWhere = new StringBuilder(" WHERE tt.namespace = ? AND tt.key = ? AND tt.value = ?");
            List<Object> tagArgs = new ArrayList<>(List.of(q.namespace(), tag.key(), tag.value()));
            if (q.fromUs() != null) {
                tagWhere.append(" AND tt.started_at_us >= ?");
                tagArgs.add(q.fromUs());
            }
            if (q.toUs() != null) {
                tagWhere.append(" AND tt.started_at_us < ?");
                tagArgs.add(q.toUs());
            }
            ids = "SELECT tt.trace_id FROM trace_tags tt" + tagWhere
                    + " ORDER BY tt.started_at_us DESC, tt.trace_id DESC";
            idArgs = tagArgs;
            count = "SELECT count(*) FROM trace_tags tt" + tagWhere;
            countArgs = tagArgs;
        }
        String page = "SELECT " + SUMMARY_COLUMNS + " FROM traces t WHERE t.trace_id IN (" + ids
                + " LIMIT ? OFFSET ?)" + order;
        String countSql = count;
        List<Object> pageArgs = idArgs;
        List<Object> boundCountArgs = countArgs;
        return db.read(c -> {
            List<TraceSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(page)) {
                Rows.bindPage(ps, pageArgs, q.limit(), q.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(summary(rs));
                    }
                }
            }
            long total;
            if (q.offset() == 0 && out.size() < q.limit()) {
                total = out.size();
            } else {
                total = Rows.count(c, countSql, boundCountArgs);
            }
            return new TracePage(out, total);
        });
    }

    @Override
    public Optional<TraceDetail> get(String namespace, String id) throws SQLException {
        String traceId = TraceKeys.key(namespace, id);
        return db.read(c -> {
            TraceSummary summary;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + SUMMARY_COLUMNS + " FROM traces t WHERE t.trace_id = ?")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    summary = summary(rs);
                }
            }
            List<String> spans = records(c, RecordCodec.Kind.SPAN, """
                    SELECT payload, span_id, parent_span_id, name, kind, status, start_us, end_us, service, agent_id
                    FROM spans WHERE trace_id = ? ORDER BY start_us, span_id""", traceId);
            List<String> messages = records(c, RecordCodec.Kind.MESSAGE, """
                    SELECT payload, seq, span_id, direction, method, url, status, start_us, duration_us, request_body,
                      response_body, service, agent_id
                    FROM messages WHERE trace_id = ? ORDER BY start_us, agent_id, seq""", traceId);
            List<String> logs = records(c, RecordCodec.Kind.LOG, """
                    SELECT payload, seq, span_id, time_us, level, logger, message, service, agent_id
                    FROM logs WHERE trace_id = ? ORDER BY time_us, agent_id, seq""", traceId);
            List<TraceDetail.TriggerRow> triggers = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT agent_id, service, kind, reason, at_ms, received_at_ms FROM triggers
                    WHERE trace_id = ? ORDER BY at_ms, received_at_ms, agent_id""")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String reason = rs.getString(4);
                        triggers.add(new TraceDetail.TriggerRow(rs.getString(1), rs.getString(2), rs.getString(3),
                                reason == null || reason.isEmpty() ? null : reason, rs.getLong(5), rs.getLong(6)));
                    }
                }
            }
            List<TraceDetail.BreadcrumbRow> crumbs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT agent_id, service, role, peer_agent_id, authority, span_id FROM breadcrumbs
                    WHERE trace_id = ? ORDER BY service, agent_id, role, peer_agent_id, authority, span_id""")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        crumbs.add(new TraceDetail.BreadcrumbRow(rs.getString(1), rs.getString(2), rs.getString(3),
                                Rows.emptyToNull(rs.getString(4)), Rows.emptyToNull(rs.getString(5)),
                                Rows.emptyToNull(rs.getString(6))));
                    }
                }
            }
            List<TraceDetail.UnansweredRow> unanswered = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT a.agent_id, g.service, a.asked_at_ms FROM collection_asks a
                    LEFT JOIN agents g ON g.agent_id = a.agent_id
                    WHERE a.trace_id = ? AND a.answered_at_ms IS NULL ORDER BY g.service, a.agent_id""")) {
                ps.setString(1, traceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        unanswered.add(new TraceDetail.UnansweredRow(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return Optional.of(new TraceDetail(summary, spans, messages, logs, triggers, crumbs,
                    TraceTags.read(c, traceId), unanswered));
        });
    }

    @Override
    public Optional<String> fingerprint(String namespace, String traceId) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint FROM traces WHERE trace_id = ?")) {
                ps.setString(1, TraceKeys.key(namespace, traceId));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Set<String> contributors(String namespace, String id) throws SQLException {
        String traceId = TraceKeys.key(namespace, id);
        return db.read(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT agent_id FROM spans WHERE trace_id = ?
                    UNION SELECT agent_id FROM messages WHERE trace_id = ?
                    UNION SELECT agent_id FROM logs WHERE trace_id = ?
                    UNION SELECT agent_id FROM triggers WHERE trace_id = ?
                    UNION SELECT agent_id FROM breadcrumbs WHERE trace_id = ?""")) {
                for (int i = 1; i <= 5; i++) {
                    ps.setString(i, traceId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    static TraceSummary summary(ResultSet rs) throws SQLException {
        List<String> services;
        try {
            services = Json.MAPPER.readValue(rs.getString(4), STRING_LIST);
        } catch (IOException e) {
            services = List.of();
        }
        return new TraceSummary(TraceKeys.traceId(rs.getString(1)), rs.getString(2), rs.getString(3), services,
                Rows.nullableLong(rs, 5), Rows.nullableLong(rs, 6), rs.getString(7), rs.getString(8),
                rs.getString(9), Rows.nullableLong(rs, 10), Rows.nullableLong(rs, 11), rs.getLong(12), rs.getInt(13),
                rs.getInt(14), rs.getInt(15));
    }

    /**
     * The records of one table, decoded ({@link RecordCodec}): {@code sql} selects the payload,
     * then the columns of {@code kind}'s fields in their order.
     */
    private static List<String> records(Connection c, RecordCodec.Kind kind, String sql, String traceId)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, traceId);
            try (ResultSet rs = ps.executeQuery()) {
                Object[] columns = new Object[kind.fields.size()];
                while (rs.next()) {
                    for (int i = 0; i < columns.length; i++) {
                        columns[i] = rs.getObject(i + 2);
                    }
                    out.add(RecordCodec.decode(kind, rs.getBytes(1), columns));
                }
            }
        }
        return out;
    }
}
