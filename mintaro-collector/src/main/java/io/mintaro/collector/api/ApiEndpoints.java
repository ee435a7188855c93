package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.javalin.http.Context;
import io.mintaro.collector.agent.AgentRegistry;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Ids;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.store.ServiceRow;
import io.mintaro.collector.store.Store;
import io.mintaro.collector.store.TraceDetail;
import io.mintaro.collector.store.TraceQuery;
import io.mintaro.collector.store.TraceSummary;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/** The read-only REST API ({@code /api/...}); see {@code docs/api.md}. */
public final class ApiEndpoints {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    static final int MAX_QUERY_TEXT = 200;
    private static final Set<String> STATUSES = Set.of("error", "slow", "ok", "all");
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern DIGITS = Pattern.compile("-?\\d{1,16}");

    private final Store store;
    private final AgentRegistry registry;
    private final LongSupplier clock;

    public ApiEndpoints(Store store, AgentRegistry registry, LongSupplier clock) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
    }

    /** {@code GET /api/health}: no authentication, no database access. */
    public void health(Context ctx) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("status", "ok");
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/traces}. */
    public void traces(Context ctx) throws SQLException {
        String status = param(ctx, "status");
        if (status != null) {
            status = status.toLowerCase(Locale.ROOT);
            if (!STATUSES.contains(status)) {
                throw ApiException.badRequest("status must be one of error, slow, ok, all");
            }
            if (status.equals("all")) {
                status = null;
            }
        }
        String service = param(ctx, "service");
        if (service != null && !SERVICE.matcher(service).matches()) {
            throw ApiException.badRequest("service must be 1-100 characters of [A-Za-z0-9._-]");
        }
        String q = param(ctx, "q");
        if (q != null && q.length() > MAX_QUERY_TEXT) {
            throw ApiException.badRequest("q is longer than " + MAX_QUERY_TEXT + " characters");
        }
        Long fromUs = instantParam(ctx, "from");
        Long toUs = instantParam(ctx, "to");
        int limit = DEFAULT_LIMIT;
        String limitText = param(ctx, "limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT);
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        List<TraceSummary> found = store.findTraces(new TraceQuery(status, service, q, fromUs, toUs, limit));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode traces = out.putArray("traces");
        for (TraceSummary s : found) {
            traces.add(summary(s));
        }
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/traces/{traceId}}. */
    public void trace(Context ctx) throws SQLException {
        String traceId = ctx.pathParam("traceId").toLowerCase(Locale.ROOT);
        if (!Ids.isTraceId(traceId)) {
            throw ApiException.badRequest("trace id must be 32 hex digits, not all zero");
        }
        Optional<TraceDetail> found = store.trace(traceId);
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
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/services}. */
    public void services(Context ctx) throws SQLException {
        long now = clock.getAsLong();
        Map<String, Integer> connected = registry.connectedByService(now);
        Map<String, Long> lastSeen = new TreeMap<>();
        for (ServiceRow row : store.services()) {
            lastSeen.put(row.name(), row.lastSeenAtMs());
        }
        // In-memory times are fresher than the periodically flushed ones.
        registry.lastSeenByService().forEach((name, ms) -> lastSeen.merge(name, ms, Math::max));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode services = out.putArray("services");
        lastSeen.forEach((name, ms) -> {
            ObjectNode n = services.addObject();
            n.put("name", name);
            n.put("agents", connected.getOrDefault(name, 0));
            n.put("lastSeenAt", Json.isoFromMillis(ms));
        });
        Responses.json(ctx, 200, out);
    }

    private static ObjectNode summary(TraceSummary s) {
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

    private static String param(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiException.badRequest(name + " is given more than once");
        }
        if (values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        return values.get(0).trim();
    }

    /** ISO-8601 instant (with Z or an offset) or epoch milliseconds, as microseconds. */
    private static Long instantParam(Context ctx, String name) {
        String v = param(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            if (DIGITS.matcher(v).matches()) {
                return Math.multiplyExact(Long.parseLong(v), 1000L);
            }
            Instant i;
            try {
                i = Instant.parse(v);
            } catch (DateTimeParseException e) {
                i = OffsetDateTime.parse(v).toInstant();
            }
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000L);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant (2025-11-21T10:00:00Z) or epoch milliseconds");
        }
    }
}
