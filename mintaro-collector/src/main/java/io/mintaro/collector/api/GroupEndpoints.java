package io.mintaro.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.BodyReader;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.internal.Responses;
import io.mintaro.collector.metrics.CollectorMetrics;
import io.mintaro.collector.store.GroupPage;
import io.mintaro.collector.store.GroupQuery;
import io.mintaro.collector.store.GroupRow;
import io.mintaro.collector.store.Storage;
import io.mintaro.collector.store.TimeBuckets;
import io.mintaro.collector.store.TracePage;
import io.mintaro.collector.store.TraceQuery;
import io.mintaro.collector.store.TriageUpdate;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Error groups and their triage ({@code /api/groups/...}); see {@code docs/api.md}. */
public final class GroupEndpoints {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    static final int MAX_NOTE = 2000;
    static final List<String> MARKS = List.of("none", "crash", "silenced");
    static final List<String> LEVELS = List.of("none", "ok", "warn", "alert");
    static final int DEFAULT_HISTOGRAM_BUCKETS = 60;
    /** The range of the dashboard's charts when it shows no group to start from. */
    private static final long DEFAULT_CHART_RANGE_US = 24L * 3600 * 1_000_000;
    /** Room around a histogram's first and last occurrence, so that both marks show. */
    private static final long MIN_HISTOGRAM_PAD_US = 60L * 1_000_000;

    private final Storage store;
    private final BodyReader bodyReader;
    private final LongSupplier clock;
    private final CollectorMetrics metrics;

    /** @param metrics records the time of every store call */
    public GroupEndpoints(Storage store, BodyReader bodyReader, LongSupplier clock, CollectorMetrics metrics) {
        this.store = store;
        this.bodyReader = bodyReader;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** {@code GET /api/groups}. */
    public void groups(Context ctx) throws SQLException {
        String status = Params.choice(ctx, "status", List.of("error", "crash", "ok", "all"), "all");
        String speed = Params.choice(ctx, "speed", List.of("slow", "fast", "all"), "all");
        String silenced = Params.choice(ctx, "silenced", List.of("hide", "show", "only"), "hide");
        String service = Params.service(ctx);
        String q = Params.text(ctx);
        Long fromUs = Params.instant(ctx, "from");
        Long toUs = Params.instant(ctx, "to");
        int page = Params.page(ctx);
        int pageSize = Params.integer(ctx, "pageSize", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
        Integer buckets = Params.param(ctx, "buckets") == null ? null
                : Params.integer(ctx, "buckets", 1, TimeBuckets.MAX_COUNT, 0);
        if (fromUs != null && toUs != null && fromUs >= toUs) {
            throw ApiException.badRequest("from must be before to");
        }
        GroupQuery query = new GroupQuery(status.equals("all") ? null : status, speed.equals("all") ? null : speed,
                service, q, fromUs, toUs, silenced, null, pageSize, (long) (page - 1) * pageSize,
                SessionEndpoints.namespace(ctx)).withTags(Params.tags(ctx));
        GroupPage found = metrics.database("find_groups", () -> store.groups().find(query));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode groups = out.putArray("groups");
        for (GroupRow g : found.groups()) {
            groups.add(groupJson(g));
        }
        if (buckets != null) {
            addBuckets(out, groups, found.groups(), fromUs, toUs, buckets);
        }
        out.put("page", page);
        out.put("pageSize", pageSize);
        out.put("total", found.total());
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/groups/{fingerprint}}. */
    public void group(Context ctx) throws SQLException {
        Responses.json(ctx, 200, groupJson(existing(ctx, Params.fingerprint(ctx))));
    }

    /**
     * Each listed group's occurrences per bucket over the range asked, or else from the earliest
     * first occurrence of the listed groups (24 hours when none) up to now.
     */
    private void addBuckets(ObjectNode out, ArrayNode json, List<GroupRow> rows, Long fromUs, Long toUs, int count)
            throws SQLException {
        long to = toUs != null ? toUs : clock.getAsLong() * 1000L;
        long from = fromUs != null ? fromUs : rows.stream().map(GroupRow::firstSeenAtUs).filter(Objects::nonNull)
                .mapToLong(Long::longValue).min().orElse(to - DEFAULT_CHART_RANGE_US);
        TimeBuckets buckets = TimeBuckets.covering(Math.min(from, to - 1000), to, count);
        List<String> fingerprints = rows.stream().map(GroupRow::fingerprint).toList();
        Map<String, long[]> counts = metrics.database("group_buckets",
                () -> store.groups().occurrences(fingerprints, buckets));
        out.set("bucketing", bucketing(buckets));
        for (int i = 0; i < rows.size(); i++) {
            ArrayNode a = ((ObjectNode) json.get(i)).putArray("buckets");
            for (long c : counts.get(rows.get(i).fingerprint())) {
                a.add(c);
            }
        }
    }

    private static ObjectNode bucketing(TimeBuckets b) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("from", Json.isoFromMicros(b.fromUs()));
        n.put("to", Json.isoFromMicros(b.toUs()));
        n.put("bucketMs", b.widthUs() / 1000);
        n.put("count", b.count());
        return n;
    }

    /**
     * {@code GET /api/groups/{fingerprint}/histogram}: the group's occurrences per bucket, over the
     * range asked or else around its first and last occurrence.
     */
    public void histogram(Context ctx) throws SQLException {
        String fingerprint = Params.fingerprint(ctx);
        int count = Params.integer(ctx, "buckets", 1, TimeBuckets.MAX_COUNT, DEFAULT_HISTOGRAM_BUCKETS);
        Long fromUs = Params.instant(ctx, "from");
        Long toUs = Params.instant(ctx, "to");
        if (fromUs != null && toUs != null && fromUs >= toUs) {
            throw ApiException.badRequest("from must be before to");
        }
        GroupRow g = existing(ctx, fingerprint);
        long first = g.firstSeenAtUs() != null ? g.firstSeenAtUs() : clock.getAsLong() * 1000L;
        long last = g.lastSeenAtUs() != null ? g.lastSeenAtUs() : first;
        long pad = Math.max(MIN_HISTOGRAM_PAD_US, (last - first) / 20);
        long to = toUs != null ? toUs : last + pad;
        long from = fromUs != null ? fromUs : Math.min(first - pad, to - 1000);
        TimeBuckets buckets = TimeBuckets.covering(from, to, count);
        long[] counts = metrics.database("group_buckets",
                () -> store.groups().occurrences(List.of(fingerprint), buckets)).get(fingerprint);
        ObjectNode out = bucketing(buckets);
        ArrayNode a = out.putArray("buckets");
        for (long c : counts) {
            a.add(c);
        }
        out.put("firstSeenAt", g.firstSeenAtUs() == null ? null : Json.isoFromMicros(g.firstSeenAtUs()));
        out.put("lastSeenAt", g.lastSeenAtUs() == null ? null : Json.isoFromMicros(g.lastSeenAtUs()));
        Responses.json(ctx, 200, out);
    }

    /** {@code GET /api/groups/{fingerprint}/traces}: the group's traces, newest first. */
    public void traces(Context ctx) throws SQLException {
        String fingerprint = Params.fingerprint(ctx);
        int page = Params.page(ctx);
        int pageSize = Params.integer(ctx, "pageSize", 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
        TraceQuery query = new TraceQuery(null, null, null, null, null, fingerprint, pageSize,
                (long) (page - 1) * pageSize, SessionEndpoints.namespace(ctx)).withTags(Params.tags(ctx));
        TracePage found = metrics.database("find_traces", () -> store.traces().find(query));
        if (found.total() == 0) {
            // A group of counted occurrences only has no traces, but it exists.
            existing(ctx, fingerprint);
        }
        Responses.json(ctx, 200, ApiEndpoints.tracePage(found, page, pageSize));
    }

    /** {@code PUT /api/groups/{fingerprint}/triage}: answers the updated group. */
    public void triage(Context ctx) throws SQLException, IOException {
        String fingerprint = Params.fingerprint(ctx);
        ObjectNode body = Json.parseObject(bodyReader.read(ctx.req().getInputStream(), ctx.header("Content-Encoding"),
                ctx.req().getContentLengthLong()));
        String mark = choice(body, "mark", MARKS);
        String level = choice(body, "level", LEVELS);
        boolean noteGiven = body.has("note");
        String note = null;
        if (noteGiven) {
            JsonNode n = body.get("note");
            if (!n.isNull() && !n.isTextual()) {
                throw ApiException.badRequest("note must be a string or null");
            }
            note = n.isNull() || n.textValue().isEmpty() ? null : n.textValue();
            if (note != null && note.length() > MAX_NOTE) {
                throw ApiException.badRequest("note is longer than " + MAX_NOTE + " characters");
            }
        }
        boolean untilGiven = body.has("silencedUntil");
        Long silencedUntil = null;
        if (untilGiven) {
            JsonNode u = body.get("silencedUntil");
            if (!u.isNull()) {
                if (!u.isTextual()) {
                    throw ApiException.badRequest("silencedUntil must be an ISO-8601 time (2026-12-03T08:00:00Z) or null");
                }
                try {
                    silencedUntil = java.time.Instant.parse(u.textValue()).toEpochMilli();
                } catch (java.time.format.DateTimeParseException e) {
                    throw ApiException.badRequest("silencedUntil must be an ISO-8601 time (2026-12-03T08:00:00Z) or null");
                }
                if (!"silenced".equals(mark)) {
                    throw ApiException.badRequest("silencedUntil needs \"mark\": \"silenced\"");
                }
            }
        }
        TriageUpdate update = new TriageUpdate(mark, level, noteGiven, note, untilGiven, silencedUntil);
        long now = clock.getAsLong();
        String namespace = SessionEndpoints.namespace(ctx);
        if (!metrics.database("triage", () -> store.groups().triage(namespace, fingerprint, update, now))) {
            throw ApiException.notFound("unknown group");
        }
        Responses.json(ctx, 200, groupJson(existing(ctx, fingerprint)));
    }

    private GroupRow existing(Context ctx, String fingerprint) throws SQLException {
        String namespace = SessionEndpoints.namespace(ctx);
        Optional<GroupRow> found = metrics.database("get_group", () -> store.groups().get(namespace, fingerprint));
        if (found.isEmpty()) {
            throw ApiException.notFound("unknown group");
        }
        return found.get();
    }

    /** An optional field that must be one of {@code allowed} when present; null when absent. */
    private static String choice(ObjectNode body, String field, List<String> allowed) {
        JsonNode v = body.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual() || !allowed.contains(v.textValue())) {
            throw ApiException.badRequest(field + " must be one of " + String.join(", ", allowed));
        }
        return v.textValue();
    }

    static ObjectNode groupJson(GroupRow g) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("fingerprint", g.fingerprint());
        n.put("name", g.name());
        n.put("service", g.service());
        n.put("endpoint", g.endpoint());
        n.put("problem", g.problem());
        n.put("kind", g.kind());
        n.put("count", g.count());
        n.put("occurrences", g.occurrences());
        n.put("traces", g.traces());
        n.put("newSinceTriage", g.newSinceTriage());
        n.put("firstSeenAt", g.firstSeenAtUs() == null ? null : Json.isoFromMicros(g.firstSeenAtUs()));
        n.put("lastSeenAt", g.lastSeenAtUs() == null ? null : Json.isoFromMicros(g.lastSeenAtUs()));
        n.put("lastTraceId", g.lastTraceId());
        ObjectNode triage = n.putObject("triage");
        triage.put("mark", g.triage().mark());
        triage.put("level", g.triage().level());
        triage.put("note", g.triage().note());
        triage.put("updatedAt", g.triage().updatedAtMs() == null ? null : Json.isoFromMillis(g.triage().updatedAtMs()));
        triage.put("silencedUntil", g.triage().silencedUntilMs() == null ? null
                : Json.isoFromMillis(g.triage().silencedUntilMs()));
        return n;
    }
}
