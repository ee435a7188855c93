package io.mintaro.collector.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.store.IngestResult;
import io.mintaro.collector.store.IngestStore;
import io.mintaro.collector.store.Namespaces;
import io.mintaro.collector.store.TagFilter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Batches into {@code traces} and the record tables, one transaction per batch. */
final class JdbcIngest implements IngestStore {
    private final Transactions db;
    private final JdbcExportQueue exports;
    private final Summaries summaries;
    private final Counts counts;
    private final JdbcCollections collections;

    JdbcIngest(Transactions db, JdbcExportQueue exports, JdbcCollections collections) {
        this.db = db;
        this.exports = exports;
        this.collections = collections;
        this.summaries = new Summaries(db.dialect());
        this.counts = new Counts(db.dialect());
    }

    @Override
    public IngestResult store(Batch sent, String namespace, String service, long nowMs) throws SQLException {
        Batch batch = TraceKeys.qualify(sent, namespace);
        return db.write(w -> {
            w.dialect().lockTraces(w, tracesOf(batch));
            Map<String, IngestResult.Known> before = new LinkedHashMap<>();
            Set<String> touched = new LinkedHashSet<>();
            Set<String> kept = new LinkedHashSet<>();
            Set<String> dropped = new LinkedHashSet<>();
            Set<String> late = new LinkedHashSet<>();
            Map<String, Set<TagFilter.Tag>> tags = new LinkedHashMap<>();
            String version = agentVersion(w, batch.agentId());
            String agentId = batch.agentId();
            int accepted = 0;
            PreparedStatement known = w.get("SELECT completed_at_ms FROM traces WHERE trace_id = ?");
            PreparedStatement newTrace = w.get("""
                    INSERT INTO traces(trace_id, status, services, triggered_at_ms, updated_at_ms, created_at_ms,
                                       namespace)
                    VALUES (?, 'ok', '[]', ?, ?, ?, ?) ON CONFLICT(trace_id) DO NOTHING""");
            PreparedStatement trigger = w.get("""
                    INSERT INTO triggers(trace_id, agent_id, service, kind, reason, at_ms, received_at_ms, namespace)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
            PreparedStatement span = w.get("""
                    INSERT INTO spans(trace_id, span_id, agent_id, service, parent_span_id, name, kind, status,
                                      start_us, end_us, error_type, payload, namespace)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(trace_id, span_id) DO UPDATE SET agent_id = excluded.agent_id,
                      service = excluded.service, parent_span_id = excluded.parent_span_id, name = excluded.name,
                      kind = excluded.kind, status = excluded.status, start_us = excluded.start_us,
                      end_us = excluded.end_us, error_type = excluded.error_type, payload = excluded.payload
                    WHERE spans.status = 'started' AND excluded.status <> 'started'""");
            PreparedStatement message = w.get("""
                    INSERT INTO messages(trace_id, agent_id, seq, service, span_id, direction, method, url,
                                         status, start_us, duration_us, request_body, response_body, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
            PreparedStatement logRow = w.get("""
                    INSERT INTO logs(trace_id, agent_id, seq, service, span_id, time_us, level, logger,
                                     message, error_type, payload)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
            PreparedStatement crumb = w.get("""
                    INSERT INTO breadcrumbs(trace_id, agent_id, service, role, peer_agent_id, authority, span_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""");
            for (Batch.Trigger t : batch.triggers()) {
                if (!before.containsKey(t.traceId())) {
                    before.put(t.traceId(), knownState(known, t.traceId()));
                }
                newTrace.setString(1, t.traceId());
                newTrace.setLong(2, t.atMs());
                newTrace.setLong(3, nowMs);
                newTrace.setLong(4, nowMs);
                newTrace.setString(5, namespace);
                newTrace.executeUpdate();
                trigger.setString(1, t.traceId());
                trigger.setString(2, agentId);
                trigger.setString(3, service);
                trigger.setString(4, t.kind());
                trigger.setString(5, t.reason() == null ? "" : t.reason());
                trigger.setLong(6, t.atMs());
                trigger.setLong(7, nowMs);
                trigger.setString(8, namespace);
                trigger.executeUpdate();
                touched.add(t.traceId());
            }
            Set<String> triggered = new LinkedHashSet<>(touched);
            Counts.Deltas deltas = counts.new Deltas(namespace);
            for (String traceId : triggered) {
                if (before.get(traceId) == IngestResult.Known.UNKNOWN) {
                    counts.absorb(w, traceId, deltas);
                }
            }
            for (Batch.Counted counted : batch.counted()) {
                counts.store(w, counted, agentId, service, nowMs, touched, deltas);
            }
            deltas.apply(w);

            for (Batch.TraceEntry e : batch.traces()) {
                String traceId = e.traceId();
                IngestResult.Known state = before.get(traceId);
                if (state == null) {
                    state = knownState(known, traceId);
                    before.put(traceId, state);
                }
                if (state == IngestResult.Known.UNKNOWN && !triggered.contains(traceId)) {
                    dropped.add(traceId);
                    continue;
                }
                kept.add(traceId);
                touched.add(traceId);
                tags.computeIfAbsent(traceId, k -> new LinkedHashSet<>()).addAll(TraceTags.of(e, service, version));
                int acceptedBefore = accepted;
                for (Batch.Span s : e.spans()) {
                    span.setString(1, traceId);
                    span.setString(2, s.spanId());
                    span.setString(3, agentId);
                    span.setString(4, service);
                    span.setString(5, s.parentSpanId());
                    span.setString(6, s.name());
                    span.setString(7, s.kind());
                    span.setString(8, s.status());
                    span.setLong(9, s.startUs());
                    Rows.setLong(span, 10, s.endUs());
                    span.setString(11, errorType(s.json()));
                    span.setBytes(12, RecordCodec.encode(RecordCodec.Kind.SPAN, stored(s.json(), service, agentId),
                            s.spanId(), s.parentSpanId(), s.name(), s.kind(), s.status(), s.startUs(), s.endUs(),
                            service, agentId));
                    span.setString(13, namespace);
                    accepted += span.executeUpdate();
                }
                for (Batch.Message m : e.messages()) {
                    message.setString(1, traceId);
                    message.setString(2, agentId);
                    message.setLong(3, m.seq());
                    message.setString(4, service);
                    message.setString(5, m.spanId());
                    message.setString(6, m.direction());
                    message.setString(7, m.method());
                    message.setString(8, m.url());
                    message.setInt(9, m.status());
                    message.setLong(10, m.startUs());
                    Rows.setLong(message, 11, m.durationUs());
                    message.setString(12, m.requestBodyText());
                    message.setString(13, m.responseBodyText());
                    message.setBytes(14, RecordCodec.encode(RecordCodec.Kind.MESSAGE,
                            stored(m.json(), service, agentId), m.seq(), m.spanId(), m.direction(), m.method(),
                            m.url(), m.status(), m.startUs(), m.durationUs(), m.requestBodyText(),
                            m.responseBodyText(), service, agentId));
                    accepted += message.executeUpdate();
                }
                for (Batch.Log l : e.logs()) {
                    logRow.setString(1, traceId);
                    logRow.setString(2, agentId);
                    logRow.setLong(3, l.seq());
                    logRow.setString(4, service);
                    logRow.setString(5, l.spanId());
                    logRow.setLong(6, l.timeUs());
                    logRow.setString(7, l.level());
                    logRow.setString(8, l.logger());
                    logRow.setString(9, l.message());
                    logRow.setString(10, errorType(l.json()));
                    logRow.setBytes(11, RecordCodec.encode(RecordCodec.Kind.LOG, stored(l.json(), service, agentId),
                            l.seq(), l.spanId(), l.timeUs(), l.level(), l.logger(), l.message(), service, agentId));
                    accepted += logRow.executeUpdate();
                }
                if (state == IngestResult.Known.COMPLETE && accepted > acceptedBefore) {
                    late.add(traceId);
                }
                for (Batch.Breadcrumb b : e.breadcrumbs()) {
                    crumb.setString(1, traceId);
                    crumb.setString(2, agentId);
                    crumb.setString(3, service);
                    crumb.setString(4, b.role());
                    crumb.setString(5, b.agentId() == null ? "" : b.agentId());
                    crumb.setString(6, b.authority() == null ? "" : b.authority());
                    crumb.setString(7, b.spanId() == null ? "" : b.spanId());
                    crumb.executeUpdate();
                }
            }
            for (String traceId : touched) {
                summaries.recompute(w, traceId, nowMs);
                TraceTags.store(w, traceId, namespace, tags.getOrDefault(traceId, Set.of()));
            }
            exports.requeueLate(w, late, nowMs);
            Set<String> created = new TreeSet<>();
            for (String traceId : triggered) {
                if (before.get(traceId) == IngestResult.Known.UNKNOWN) {
                    created.add(traceId);
                }
            }
            Set<String> answered = new TreeSet<>(triggered);
            answered.addAll(kept);
            collections.onBatch(w, batch, created, answered, nowMs);
            return Namespaces.DEFAULT.equals(namespace) ? new IngestResult(accepted, before, kept, dropped)
                    : new IngestResult(accepted, TraceKeys.ids(before), TraceKeys.ids(kept), TraceKeys.ids(dropped));
        });
    }

    /** Every trace a batch writes, sorted: the order their locks are taken in. */
    private static TreeSet<String> tracesOf(Batch batch) {
        TreeSet<String> ids = new TreeSet<>();
        for (Batch.Trigger t : batch.triggers()) {
            ids.add(t.traceId());
        }
        for (Batch.TraceEntry e : batch.traces()) {
            ids.add(e.traceId());
        }
        for (Batch.Counted c : batch.counted()) {
            for (Batch.CountedTrace t : c.traces()) {
                ids.add(t.traceId());
            }
        }
        return ids;
    }

    /** The version the agent registered with, if any: one of its trace's tags. */
    private static String agentVersion(Tx w, String agentId) throws SQLException {
        PreparedStatement ps = w.get("SELECT version FROM agents WHERE agent_id = ?");
        ps.setString(1, agentId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static IngestResult.Known knownState(PreparedStatement known, String traceId) throws SQLException {
        known.setString(1, traceId);
        try (ResultSet rs = known.executeQuery()) {
            if (!rs.next()) {
                return IngestResult.Known.UNKNOWN;
            }
            rs.getLong(1);
            return rs.wasNull() ? IngestResult.Known.COLLECTING : IngestResult.Known.COMPLETE;
        }
    }

    /** The record's JSON as the API returns it: the protocol fields, then who sent it. */
    private static ObjectNode stored(ObjectNode json, String service, String agentId) {
        json.put("service", service);
        json.put("agentId", agentId);
        return json;
    }

    /** {@code error.type} of a span or log (a log's error may be plain text: none), for {@link Grouping}. */
    private static String errorType(ObjectNode json) {
        JsonNode type = json.path("error").path("type");
        return type.isTextual() ? type.textValue() : null;
    }

    @Override
    public int forgetCounted(long nowMs, long windowMs) throws SQLException {
        return db.write(w -> counts.forget(w, nowMs - windowMs, FORGET_CHUNK));
    }
}
