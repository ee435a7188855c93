package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.javalin.http.Context;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Ids;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.metrics.CollectorMetrics;
import io.mintaro.collector.store.SpanStats;
import io.mintaro.collector.store.Storage;
import io.mintaro.collector.store.TagFilter;
import io.mintaro.collector.store.TraceDetail;
import io.mintaro.collector.store.TracePage;
import io.mintaro.collector.store.TraceQuery;
import io.mintaro.collector.store.TraceSummary;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The REST API over traces and span statistics ({@code /api/...}; services are in {@link ServiceEndpoints}); see
 * {@code docs/api.md}.
 */
public final class ApiEndpoints {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_SLOW_LIMIT = 20;
    static final int MAX_SLOW_LIMIT = 200;
    static final long DEFAULT_SLOW_RANGE_US = 24L * 3600 * 1_000_000;

    private final Storage store;
    private final LongSupplier clock;
    private final CollectorMetrics metrics;

    private final java.util.function.Supplier<Map<String, Map<String, Object>>> exportHealth;

    /** @param metrics records the time of every store call */
    public ApiEndpoints(Storage store, LongSupplier clock,
                        java.util.function.Supplier<Map<String, Map<String, Object>>> exportHealth,
                        CollectorMetrics metrics) {
        this.store = store;
        this.clock = clock;
        this.exportHealth = exportHealth;
        this.metrics = metrics;
    }

    /**
     * {@code GET /api/health}: no authentication, no database access (the export figures are the
     * export threads' last readings).
     */
    public void health(Context ctx) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        boolean reachable;
        try {
            store.ping();
            reachable = true;
        } catch (SQLException e) {
            reachable = false;
        }
        // 503 takes this collector out of a load balancer's rotation until its database answers.
        out.put("status", reachable ? "ok" : "database unavailable");
        ObjectNode database = out.putObject("database");
        database.put("kind", store.database().kind().name().toLowerCase(java.util.Locale.ROOT));
        database.put("reachable", reachable);
        database.put("schemaVersion", store.schemaVersion());
        Map<String, Map<String, Object>> export = exportHealth.get();
        if (!export.isEmpty()) {
            out.set("export", Json.MAPPER.valueToTree(export));
        }
        Responses.json(ctx, reachable ? 200 : 503, out);
    }

    /** {@code GET /api/traces}. */
    public void traces(Context ctx) throws SQLException {
        String status = Params.choice(ctx, "status", List.of("error", "slow", "ok", "all"), "all");
        String service = Params.service(ctx);
        String q = Params.text(ctx);
        Long fromUs = Params.instant(ctx, "from");
        Long toUs = Params.instant(ctx, "to");
        int limit = Params.integer(ctx, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        if (Params.param(ctx, "pageSize") != null) {
            if (Params.param(ctx, "limit") != null) {
                throw ApiException.badRequest("pageSize is another name of limit: give one of them");
            }
            limit = Params.integer(ctx, "pageSize", 1, MAX_LIMIT, DEFAULT_LIMIT);
        }
        int page = Params.page(ctx);
        TraceQuery query = new TraceQuery(status.equals("all") ? null : status, service, q, fromUs, toUs, null, limit,
                (long) (page - 1) * limit, SessionEndpoints.namespace(ctx)).withTags(Params.tags(ctx));
        TracePage found = metrics.database("find_traces", () -> store.traces().find(query));
        Responses.json(ctx, 200, tracePage(found, page, limit));
    }

    /** {@code {"traces": [...], "page", "pageSize", "total"}}. */
    static ObjectNode tracePage(TracePage found, int page, int pageSize) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode traces = out.putArray("traces");
        for (TraceSummary s : found.traces()) {
            traces.add(summary(s));
        }
        out.put("page", page);
        out.put("pageSize", pageSize);
        out.put("total", found.total());
        return out;
    }

    /** {@code GET /api/traces/{traceId}}. */
    public void trace(Context ctx) throws SQLException {
        String traceId = ctx.pathParam("traceId").toLowerCase(Locale.ROOT);
        if (!Ids.isTraceId(traceId)) {
            throw ApiException.badRequest("trace id must be 32 hex digits, not all zero");
        }
        String namespace = SessionEndpoints.namespace(ctx);
        Optional<TraceDetail> found = metrics.database("get_trace", () -> store.traces().get(namespace, traceId));
        if (found.isEmpty()) {
            throw ApiException.notFound("unknown trace");
        }
        TraceDetail d = found.get();
        ObjectNode out = summary(d.summary());
        rawArray(out.putArray("spans"), d.spans());
        rawArray(out.putArray("messages"), d.messages());
        rawArray(out.putArray("logs"), d.logs());
        ArrayNode triggers = out.putArray("triggers");
        for (TraceDetail.TriggerRow t : d.triggers()) {
            ObjectNode n = triggers.addObject();
            n.put("kind", t.kind());
            n.put("reason", t.reason());
            n.put("atMs", t.atMs());
            n.put("service", t.service());
            n.put("agentId", t.agentId());
            n.put("receivedAtMs", t.receivedAtMs());
        }
        ArrayNode tags = out.putArray("tags");
        for (TagFilter.Tag t : d.tags()) {
            tags.addObject().put("key", t.key()).put("value", t.value());
        }
        ArrayNode crumbs = out.putArray("breadcrumbs");
        for (TraceDetail.BreadcrumbRow b : d.breadcrumbs()) {
            ObjectNode n = crumbs.addObject();
            n.put("service", b.service());
            n.put("agentId", b.agentId());
            n.put("role", b.role());
            n.put("peerAgentId", b.peerAgentId());
            n.put("authority", b.authority());
            n.put("spanId", b.spanId());
        }
        ArrayNode unanswered = out.putArray("unanswered");
        for (TraceDetail.UnansweredRow u : d.unanswered()) {
            unanswered.addObject().put("service", u.service()).put("agentId", u.agentId()).put("askedAtMs", u.askedAtMs());
        }
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/slow}: duration statistics of endpoints (server spans) and of all spans. */
    public void slow(Context ctx) throws SQLException {
        Long toUs = Params.instant(ctx, "to");
        Long fromUs = Params.instant(ctx, "from");
        if (fromUs == null) {
            fromUs = (toUs != null ? toUs : clock.getAsLong() * 1000L) - DEFAULT_SLOW_RANGE_US;
        }
        String service = Params.service(ctx);
        int limit = Params.integer(ctx, "limit", 1, MAX_SLOW_LIMIT, DEFAULT_SLOW_LIMIT);
        long from = fromUs;
        String namespace = SessionEndpoints.namespace(ctx);
        List<SpanStats> stats = new ArrayList<>(metrics.database("span_stats",
                () -> store.stats().spanStats(namespace, from, toUs, service)));
        stats.sort(Comparator.comparingLong(SpanStats::p95Us).reversed()
                .thenComparing(Comparator.comparingLong(SpanStats::maxUs).reversed())
                .thenComparing(Comparator.comparingLong(SpanStats::count).reversed())
                .thenComparing(SpanStats::service)
                .thenComparing(st -> st.name() == null ? "" : st.name())
                .thenComparing(SpanStats::kind));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode bounds = out.putArray("latencyBoundsMs");
        for (long b : SpanStats.LATENCY_BOUNDS_MS) {
            bounds.add(b);
        }
        ArrayNode endpoints = out.putArray("endpoints");
        ArrayNode spans = out.putArray("spans");
        for (SpanStats st : stats) {
            if (st.kind().equals("server") && endpoints.size() < limit) {
                stats(endpoints.addObject(), st, false);
            }
            if (spans.size() < limit) {
                stats(spans.addObject(), st, true);
            }
        }
        Responses.json(ctx, 200, out);
    }

    private static void stats(ObjectNode n, SpanStats st, boolean withKind) {
        n.put("service", st.service());
        n.put("name", st.name());
        if (withKind) {
            n.put("kind", st.kind());
        }
        n.put("count", st.count());
        n.put("p50Ms", st.p50Us() / 1000.0);
        n.put("p95Ms", st.p95Us() / 1000.0);
        n.put("maxMs", st.maxUs() / 1000.0);
        ArrayNode latency = n.putArray("latency");
        for (long c : st.latency()) {
            latency.add(c);
        }
    }

    static ObjectNode summary(TraceSummary s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("traceId", s.traceId());
        n.put("name", s.name());
        n.put("status", s.status());
        ArrayNode services = n.putArray("services");
        s.services().forEach(services::add);
        n.put("startedAt", s.startedAtUs() == null ? null : Json.isoFromMicros(s.startedAtUs()));
        if (s.durationUs() == null) {
            n.putNull("durationMs");
        } else {
            n.put("durationMs", s.durationUs() / 1000.0);
        }
        n.put("triggerKind", s.triggerKind());
        n.put("triggerReason", s.triggerReason());
        n.put("triggerService", s.triggerService());
        n.put("spanCount", s.spanCount());
        n.put("messageCount", s.messageCount());
        n.put("logCount", s.logCount());
        n.put("complete", s.complete());
        n.put("triggeredAtMs", s.triggeredAtMs());
        n.put("completedAtMs", s.completedAtMs());
        return n;
    }

    private static void rawArray(ArrayNode target, List<String> jsonObjects) {
        for (String json : jsonObjects) {
            target.addRawValue(new RawValue(json));
        }
    }
}
