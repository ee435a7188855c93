package io.mintaro.collector.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.internal.ApiException;
import io.mintaro.collector.internal.Ids;
import io.mintaro.collector.protocol.AgentStats;
import io.mintaro.collector.protocol.Batch;
import io.mintaro.collector.protocol.Registration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates agent request bodies of protocol v1 and turns them into {@link Registration} and
 * {@link Batch} values.
 *
 * <p>Every violation is an {@link ApiException} (400) whose message names the offending field by its
 * path, e.g. {@code traces[0].spans[3].spanId: expected 16 lowercase hex digits}. Fields the
 * protocol does not define are ignored and not stored. Limits below are generous for real agents
 * and keep a hostile batch from storing unbounded strings.
 *
 * <p>U+0000, which PostgreSQL cannot store in text, becomes U+FFFD in every string field and
 * attribute, on either store, so that a record holding one is kept rather than failing its batch.
 */
public final class ProtocolParser {
    static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    // host:port as a Host header or URL gives it; lower-cased before it is compared. Deliberately
    // loose: agents relay Host headers of arbitrary clients.
    private static final Pattern AUTHORITY = Pattern.compile("[^\\s\\p{Cntrl}/\\\\]{1,262}");
    // An HTTP method is a token (RFC 9110 5.6.2).
    private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    static final int MAX_AUTHORITIES = 32;
    /** A service version, as the SDK cuts it (protocol, register). */
    static final int MAX_VERSION = 64;
    static final int MAX_TRIGGERS = 1_000;
    static final int MAX_TRACES = 1_000;
    static final int MAX_RECORDS_PER_KIND = 200_000;
    static final int MAX_BREADCRUMBS = 10_000;
    static final int MAX_NAME = 1_024;
    static final int MAX_REASON = 2_048;
    static final int MAX_URL = 8_192;
    static final int MAX_ERROR_MESSAGE = 65_536;
    static final int MAX_STACK = 262_144;
    static final int MAX_LOG_MESSAGE = 1_048_576;
    static final int MAX_ATTRIBUTES = 256;
    static final int MAX_ATTRIBUTE_VALUE = 65_536;
    static final int MAX_HEADERS = 512;
    static final int MAX_HEADER_VALUE = 65_536;
    static final int MAX_HANDLED_ERRORS = 100;
    static final int MAX_EVENTS = 128;
    /** Counted trace ids per batch, over all {@code counted} entries (protocol: at most 5,000). */
    static final int MAX_COUNTED_TRACES = 5_000;
    /** Entries of {@code counted}: one per local group, so far fewer in practice. */
    static final int MAX_COUNTED_ENTRIES = 5_000;
    static final int MAX_GROUP_NAME = 512;
    /** Occurrences without ids in one entry: far above what an agent counts between two batches. */
    static final long MAX_MORE = 10_000_000;

    private static final Set<String> TRIGGER_KINDS = Set.of("error", "slow", "manual");
    private static final Set<String> SPAN_KINDS = Set.of("server", "client", "internal");
    private static final Set<String> SPAN_STATUSES = Set.of("started", "succeeded", "failed");
    private static final Set<String> DIRECTIONS = Set.of("inbound", "outbound");
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    private static final Set<String> ROLES = Set.of("caller", "callee");
    private static final Set<String> BODY_ENCODINGS = Set.of("utf8", "base64");
    // Microsecond timestamps up to the year ~2255, so a value can be handled as a double without loss.
    private static final long MAX_TIME_US = 1L << 53;
    private static final long MAX_TIME_MS = MAX_TIME_US / 1000;
    /** A recorder figure: exact as a JSON number in any reader (2^53). */
    private static final long MAX_FIGURE = 1L << 53;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProtocolParser() {
    }

    /** Parses a {@code register} body. */
    public static Registration registration(ObjectNode body) {
        In in = new In(body, "");
        String agentId = in.agentId("agentId", true);
        String service = in.string("service", true, 100);
        if (!SERVICE.matcher(service).matches()) {
            throw in.bad("service", "must be 1-100 characters of [A-Za-z0-9._-]");
        }
        String version = in.rawString("version", false, Integer.MAX_VALUE);
        if (version != null && (version.isEmpty() || version.length() > MAX_VERSION
                || version.chars().anyMatch(Character::isISOControl))) {
            throw in.bad("version", "must be 1-" + MAX_VERSION + " characters without control characters");
        }
        String host = in.string("host", false, 255);
        Long pid = in.optionalLong("pid", 0, Long.MAX_VALUE);
        String sdk = in.string("sdk", false, 64);
        List<String> authorities = in.authorities("authorities");
        return new Registration(agentId, service, version, host, pid, sdk,
                authorities == null ? List.of() : authorities);
    }

    /** The agent id of a {@code poll} body. */
    public static String pollAgentId(ObjectNode body) {
        return new In(body, "").agentId("agentId", true);
    }

    /** The authorities of a {@code poll} body, or null when absent (then the registered set stays). */
    public static List<String> pollAuthorities(ObjectNode body) {
        return new In(body, "").authorities("authorities");
    }

    /**
     * The recorder's figures of a {@code poll} body ({@code stats}), or null when absent.
     *
     * @throws ApiException 400 naming the field when {@code stats} is not an object of the protocol's
     *     figures (the caller ignores it rather than fail the poll)
     */
    public static AgentStats pollStats(ObjectNode body, long receivedAtMs) {
        In in = new In(body, "");
        In stats = in.object("stats");
        if (stats == null) {
            return null;
        }
        return new AgentStats(receivedAtMs, stats.optionalLong("bufferBytes", 0, MAX_FIGURE),
                stats.optionalLong("bytesRecorded", 0, MAX_FIGURE), stats.optionalLong("historyMs", 0, MAX_FIGURE),
                stats.nullableBoolean("retentionShort"), stats.optionalLong("triggersReported", 0, MAX_FIGURE),
                stats.optionalLong("triggersRateLimited", 0, MAX_FIGURE),
                stats.optionalLong("triggersGroupLimited", 0, MAX_FIGURE),
                stats.optionalLong("triggersCounted", 0, MAX_FIGURE),
                stats.optionalLong("triggersDropped", 0, MAX_FIGURE), stats.optionalLong("batchesSent", 0, MAX_FIGURE),
                stats.optionalLong("batchesFailed", 0, MAX_FIGURE));
    }

    /** Parses a {@code batches} body; the whole batch fails on the first bad field. */
    public static Batch batch(ObjectNode body) {
        In in = new In(body, "");
        String agentId = in.agentId("agentId", true);
        List<Batch.Trigger> triggers = new ArrayList<>();
        for (In t : in.objects("triggers", MAX_TRIGGERS)) {
            triggers.add(trigger(t));
        }
        List<Batch.TraceEntry> traces = new ArrayList<>();
        for (In t : in.objects("traces", MAX_TRACES)) {
            traces.add(traceEntry(t));
        }
        List<Batch.Counted> counted = new ArrayList<>();
        int countedTraces = 0;
        for (In c : in.objects("counted", MAX_COUNTED_ENTRIES)) {
            Batch.Counted entry = counted(c);
            countedTraces += entry.traces().size();
            if (countedTraces > MAX_COUNTED_TRACES) {
                throw in.bad("counted", "has more than " + MAX_COUNTED_TRACES + " traces over all entries");
            }
            counted.add(entry);
        }
        return new Batch(agentId, triggers, traces, counted);
    }

    private static Batch.Counted counted(In in) {
        String kind = in.enumValue("kind", TRIGGER_KINDS, true);
        String endpoint = in.groupName("endpoint");
        String problem = in.groupName("problem");
        List<Batch.CountedTrace> traces = in.countedTraces("traces", MAX_COUNTED_TRACES);
        Long more = in.optionalLong("more", 0, MAX_MORE);
        long lastAtMs = in.requiredLong("lastAtMs", 0, MAX_TIME_MS);
        return new Batch.Counted(kind, endpoint, problem, traces, more == null ? 0 : more, lastAtMs);
    }

    private static Batch.Trigger trigger(In in) {
        String traceId = in.traceId("traceId");
        String kind = in.enumValue("kind", TRIGGER_KINDS, true);
        // Cut, not refused: the SDK passes exception messages of any length, and losing the
        // trigger (and its batch) would be far worse than a shortened reason.
        String reason = in.string("reason", false, Integer.MAX_VALUE);
        if (reason != null && reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON - 3) + "...";
        }
        long atMs = in.requiredLong("atMs", 0, MAX_TIME_MS);
        return new Batch.Trigger(traceId, kind, reason, atMs);
    }

    private static Batch.TraceEntry traceEntry(In in) {
        String traceId = in.traceId("traceId");
        boolean reply = in.optionalBoolean("reply", false);
        List<Batch.Span> spans = new ArrayList<>();
        for (In s : in.objects("spans", MAX_RECORDS_PER_KIND)) {
            spans.add(span(s));
        }
        List<Batch.Message> messages = new ArrayList<>();
        for (In m : in.objects("messages", MAX_RECORDS_PER_KIND)) {
            messages.add(message(m));
        }
        List<Batch.Log> logs = new ArrayList<>();
        for (In l : in.objects("logs", MAX_RECORDS_PER_KIND)) {
            logs.add(log(l));
        }
        List<Batch.Breadcrumb> breadcrumbs = new ArrayList<>();
        for (In b : in.objects("breadcrumbs", MAX_BREADCRUMBS)) {
            breadcrumbs.add(breadcrumb(b));
        }
        return new Batch.TraceEntry(traceId, reply, spans, messages, logs, breadcrumbs);
    }

    private static Batch.Span span(In in) {
        ObjectNode out = NODES.objectNode();
        String spanId = in.spanId("spanId", true);
        String parent = in.spanId("parentSpanId", false);
        String name = in.presentString("name", MAX_NAME);
        String kind = in.enumValue("kind", SPAN_KINDS, true);
        String status = in.enumValue("status", SPAN_STATUSES, true);
        long startUs = in.requiredLong("startUs", 0, MAX_TIME_US);
        Long endUs = in.optionalLong("endUs", 0, MAX_TIME_US);
        if ("started".equals(status) && endUs != null) {
            throw in.bad("endUs", "must be null while status is started");
        }
        if (!"started".equals(status) && endUs == null) {
            throw in.bad("endUs", "is required when status is " + status);
        }
        if (endUs != null && endUs < startUs) {
            throw in.bad("endUs", "is before startUs");
        }
        if (spanId.equals(parent)) {
            throw in.bad("parentSpanId", "equals spanId");
        }
        out.put("spanId", spanId);
        out.put("parentSpanId", parent);
        out.put("name", name);
        out.put("kind", kind);
        out.put("status", status);
        out.put("startUs", startUs);
        putNullable(out, "endUs", endUs);
        out.set("attributes", in.attributes("attributes"));
        out.set("error", in.errorObject("error", false));
        out.set("handledErrors", in.errorList("handledErrors"));
        List<In> events = in.objects("events", MAX_EVENTS);
        if ("started".equals(status) && !events.isEmpty()) {
            throw in.bad("events", "must be absent or empty while status is started");
        }
        ArrayNode eventsOut = out.putArray("events");
        for (In e : events) {
            eventsOut.add(event(e));
        }
        return new Batch.Span(spanId, parent, name, kind, status, startUs, endUs, out);
    }

    /** A span event: something that happened at one moment of the span. */
    private static ObjectNode event(In in) {
        ObjectNode out = NODES.objectNode();
        long timeUs = in.requiredLong("timeUs", 0, MAX_TIME_US);
        String name = in.string("name", true, MAX_NAME);
        if (name.isEmpty()) {
            throw in.bad("name", "must be 1-" + MAX_NAME + " characters");
        }
        out.put("timeUs", timeUs);
        out.put("name", name);
        out.set("attributes", in.attributes("attributes"));
        return out;
    }

    private static Batch.Message message(In in) {
        ObjectNode out = NODES.objectNode();
        long seq = in.requiredLong("seq", 0, Long.MAX_VALUE);
        String spanId = in.spanId("spanId", false);
        String direction = in.enumValue("direction", DIRECTIONS, true);
        String method = in.string("method", true, 64);
        if (!METHOD.matcher(method).matches()) {
            throw in.bad("method", "is not an HTTP method token");
        }
        String url = in.presentString("url", MAX_URL);
        int status = (int) in.requiredLong("status", 0, 999);
        long startUs = in.requiredLong("startUs", 0, MAX_TIME_US);
        Long durationUs = in.optionalLong("durationUs", 0, MAX_TIME_US);
        out.put("seq", seq);
        out.put("spanId", spanId);
        out.put("direction", direction);
        out.put("method", method);
        out.put("url", url);
        out.put("status", status);
        out.put("startUs", startUs);
        putNullable(out, "durationUs", durationUs);
        String requestText = body(in, "request", out);
        String responseText = body(in, "response", out);
        out.set("error", in.errorObjectOrString("error"));
        return new Batch.Message(seq, spanId, direction, method, url, status, startUs, durationUs,
                requestText, responseText, out);
    }

    /** Copies one side's headers and body into {@code out}; returns the body when it is text. */
    private static String body(In in, String side, ObjectNode out) {
        out.set(side + "Headers", in.headers(side + "Headers"));
        String body = in.string(side + "Body", false, Integer.MAX_VALUE);
        String encoding = in.enumValue(side + "BodyEncoding", BODY_ENCODINGS, false);
        if (body != null && encoding == null) {
            throw in.bad(side + "BodyEncoding", "is required when " + side + "Body is present");
        }
        if (body != null && "base64".equals(encoding)) {
            try {
                Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw in.bad(side + "Body", "is not valid base64");
            }
        }
        Long size = in.optionalLong(side + "BodySize", 0, Long.MAX_VALUE);
        Boolean truncated = in.nullableBoolean(side + "BodyTruncated");
        out.put(side + "Body", body);
        out.put(side + "BodyEncoding", encoding);
        putNullable(out, side + "BodySize", size);
        if (truncated == null) {
            out.putNull(side + "BodyTruncated");
        } else {
            out.put(side + "BodyTruncated", truncated);
        }
        return "utf8".equals(encoding) ? body : null;
    }

    private static Batch.Log log(In in) {
        ObjectNode out = NODES.objectNode();
        long seq = in.requiredLong("seq", 0, Long.MAX_VALUE);
        String spanId = in.spanId("spanId", false);
        long timeUs = in.requiredLong("timeUs", 0, MAX_TIME_US);
        String level = in.enumValue("level", LEVELS, true);
        String logger = in.string("logger", false, MAX_NAME);
        String thread = in.string("thread", false, MAX_NAME);
        String message = in.presentString("message", MAX_LOG_MESSAGE);
        out.put("seq", seq);
        out.put("spanId", spanId);
        out.put("timeUs", timeUs);
        out.put("level", level);
        out.put("logger", logger);
        out.put("thread", thread);
        out.put("message", message);
        out.set("error", in.errorObjectOrString("error"));
        return new Batch.Log(seq, spanId, timeUs, level, logger, message, out);
    }

    private static Batch.Breadcrumb breadcrumb(In in) {
        String role = in.enumValue("role", ROLES, true);
        String agentId = in.agentId("agentId", false);
        String authority = in.authority("authority");
        String spanId = in.spanId("spanId", false);
        // A breadcrumb naming nobody (a call to a URL without a host) is kept but leads nowhere.
        return new Batch.Breadcrumb(role, agentId, authority, spanId);
    }

    /** The text with U+0000 replaced by U+FFFD (see the class comment). */
    static String withoutNul(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    private static void putNullable(ObjectNode out, String field, Long value) {
        if (value == null) {
            out.putNull(field);
        } else {
            out.put(field, value.longValue());
        }
    }

    /** A JSON object being validated, with its path for error messages. */
    private static final class In {
        private final ObjectNode node;
        private final String path;

        In(ObjectNode node, String path) {
            this.node = node;
            this.path = path;
        }

        ApiException bad(String field, String problem) {
            return ApiException.badRequest(path + field + ": " + problem);
        }

        /** The field's value, or null when absent or JSON null. */
        private JsonNode get(String field) {
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? null : v;
        }

        /** The string with U+0000 replaced (see the class comment). */
        String string(String field, boolean required, int maxLength) {
            String s = rawString(field, required, maxLength);
            return s == null ? null : ProtocolParser.withoutNul(s);
        }

        /** The string as sent, for checks that refuse control characters. */
        String rawString(String field, boolean required, int maxLength) {
            JsonNode v = get(field);
            if (v == null) {
                if (required) {
                    throw bad(field, "is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                throw bad(field, "must be a string");
            }
            String s = v.textValue();
            if (s.length() > maxLength) {
                throw bad(field, "is longer than " + maxLength + " characters");
            }
            return s;
        }

        /** A field that must be present; its value may be null or a string. */
        String presentString(String field, int maxLength) {
            if (!node.has(field)) {
                throw bad(field, "is required");
            }
            return string(field, false, maxLength);
        }

        String enumValue(String field, Set<String> allowed, boolean required) {
            String s = string(field, required, 64);
            if (s != null && !allowed.contains(s)) {
                throw bad(field, "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            return s;
        }

        String traceId(String field) {
            String s = string(field, true, 64);
            if (!Ids.isTraceId(s)) {
                throw bad(field, "expected 32 lowercase hex digits, not all zero");
            }
            return s;
        }

        String spanId(String field, boolean required) {
            String s = string(field, required, 64);
            if (s != null && !Ids.isSpanId(s)) {
                throw bad(field, "expected 16 lowercase hex digits");
            }
            return s;
        }

        /** An endpoint or problem of a counted entry: required, 1-512 characters. */
        String groupName(String field) {
            String s = string(field, true, MAX_GROUP_NAME);
            if (s.isEmpty()) {
                throw bad(field, "must be 1-" + MAX_GROUP_NAME + " characters");
            }
            return s;
        }

        /** {@code [[traceId, atMs], ...]}; absent means empty. */
        List<Batch.CountedTrace> countedTraces(String field, int maxItems) {
            JsonNode v = get(field);
            if (v == null) {
                return List.of();
            }
            if (!v.isArray()) {
                throw bad(field, "must be an array of [traceId, atMs] pairs");
            }
            if (v.size() > maxItems) {
                throw bad(field, "has more than " + maxItems + " entries");
            }
            List<Batch.CountedTrace> out = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                JsonNode pair = v.get(i);
                String name = field + "[" + i + "]";
                if (!pair.isArray() || pair.size() != 2) {
                    throw bad(name, "must be a [traceId, atMs] pair");
                }
                JsonNode id = pair.get(0);
                if (!id.isTextual() || !Ids.isTraceId(id.textValue())) {
                    throw bad(name + "[0]", "expected 32 lowercase hex digits, not all zero");
                }
                JsonNode at = pair.get(1);
                if (!at.isIntegralNumber() || !at.canConvertToLong()) {
                    throw bad(name + "[1]", "must be an integer");
                }
                long atMs = at.longValue();
                if (atMs < 0 || atMs > MAX_TIME_MS) {
                    throw bad(name + "[1]", "must be between 0 and " + MAX_TIME_MS);
                }
                out.add(new Batch.CountedTrace(id.textValue(), atMs));
            }
            return out;
        }

        String agentId(String field, boolean required) {
            String s = string(field, required, 64);
            if (s != null && !Ids.isAgentId(s)) {
                throw bad(field, "expected 16 lowercase hex digits");
            }
            return s;
        }

        /** A breadcrumb's authority; one that cannot be an authority is treated as absent. */
        String authority(String field) {
            String s = string(field, false, MAX_NAME);
            if (s == null) {
                return null;
            }
            s = s.trim().toLowerCase(Locale.ROOT);
            return AUTHORITY.matcher(s).matches() ? s : null;
        }

        /** A list of authorities, or null when the field is absent. */
        List<String> authorities(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isArray()) {
                throw bad(field, "must be an array");
            }
            if (v.size() > MAX_AUTHORITIES) {
                throw bad(field, "has more than " + MAX_AUTHORITIES + " entries");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode a = v.get(i);
                String name = field + "[" + i + "]";
                if (!a.isTextual()) {
                    throw bad(name, "must be a string");
                }
                String s = a.textValue().trim().toLowerCase(Locale.ROOT);
                // Skipped, not refused: one odd Host header sent to the application must not
                // stop its agent from registering.
                if (AUTHORITY.matcher(s).matches() && !out.contains(s)) {
                    out.add(s);
                }
            }
            return List.copyOf(out);
        }

        long requiredLong(String field, long min, long max) {
            Long v = optionalLong(field, min, max);
            if (v == null) {
                throw bad(field, "is required");
            }
            return v;
        }

        Long optionalLong(String field, long min, long max) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw bad(field, "must be an integer");
            }
            long l = v.longValue();
            if (l < min || l > max) {
                throw bad(field, "must be between " + min + " and " + max);
            }
            return l;
        }

        boolean optionalBoolean(String field, boolean dflt) {
            Boolean b = nullableBoolean(field);
            return b == null ? dflt : b;
        }

        Boolean nullableBoolean(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isBoolean()) {
                throw bad(field, "must be a boolean");
            }
            return v.booleanValue();
        }

        /** An optional object field, or null when absent or JSON null. */
        In object(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isObject()) {
                throw bad(field, "must be an object");
            }
            return new In((ObjectNode) v, path + field + ".");
        }

        /** The objects of an optional array field (absent or null means empty). */
        List<In> objects(String field, int maxItems) {
            JsonNode v = get(field);
            if (v == null) {
                return List.of();
            }
            if (!v.isArray()) {
                throw bad(field, "must be an array");
            }
            if (v.size() > maxItems) {
                throw bad(field, "has more than " + maxItems + " entries");
            }
            List<In> out = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isObject()) {
                    throw bad(field + "[" + i + "]", "must be an object");
                }
                out.add(new In((ObjectNode) item, path + field + "[" + i + "]."));
            }
            return out;
        }

        /** String keys to strings, numbers, booleans or arrays of those. */
        ObjectNode attributes(String field) {
            JsonNode v = get(field);
            ObjectNode out = NODES.objectNode();
            if (v == null) {
                return out;
            }
            if (!v.isObject()) {
                throw bad(field, "must be an object");
            }
            if (v.size() > MAX_ATTRIBUTES) {
                throw bad(field, "has more than " + MAX_ATTRIBUTES + " entries");
            }
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                String key = e.getKey();
                if (key.length() > MAX_NAME) {
                    throw bad(field, "keys must be at most " + MAX_NAME + " characters");
                }
                JsonNode value = e.getValue();
                if (value.isArray()) {
                    if (value.size() > MAX_ATTRIBUTES) {
                        throw bad(field + "." + key, "has more than " + MAX_ATTRIBUTES + " entries");
                    }
                    ArrayNode items = NODES.arrayNode();
                    for (JsonNode item : value) {
                        checkScalar(field + "." + key, item);
                        items.add(textWithoutNul(item));
                    }
                    value = items;
                } else {
                    checkScalar(field + "." + key, value);
                    value = textWithoutNul(value);
                }
                out.set(ProtocolParser.withoutNul(key), value);
            }
            return out;
        }

        private static JsonNode textWithoutNul(JsonNode value) {
            return value.isTextual() && value.textValue().indexOf('\0') >= 0
                    ? NODES.textNode(ProtocolParser.withoutNul(value.textValue())) : value;
        }

        private void checkScalar(String name, JsonNode value) {
            if (value.isTextual()) {
                if (value.textValue().length() > MAX_ATTRIBUTE_VALUE) {
                    throw bad(name, "is longer than " + MAX_ATTRIBUTE_VALUE + " characters");
                }
            } else if (!value.isNumber() && !value.isBoolean() && !value.isNull()) {
                throw bad(name, "must be a string, number, boolean or an array of those");
            }
        }

        /** {@code [[name, value], ...]}; absent means empty. */
        ArrayNode headers(String field) {
            JsonNode v = get(field);
            ArrayNode out = NODES.arrayNode();
            if (v == null) {
                return out;
            }
            if (!v.isArray()) {
                throw bad(field, "must be an array of [name, value] pairs");
            }
            if (v.size() > MAX_HEADERS) {
                throw bad(field, "has more than " + MAX_HEADERS + " entries");
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode pair = v.get(i);
                String name = field + "[" + i + "]";
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                    throw bad(name, "must be a [name, value] pair of strings");
                }
                String headerName = pair.get(0).textValue();
                if (headerName.isEmpty() || headerName.length() > MAX_NAME) {
                    throw bad(name, "header name must be 1-" + MAX_NAME + " characters");
                }
                if (pair.get(1).textValue().length() > MAX_HEADER_VALUE) {
                    throw bad(name, "header value is longer than " + MAX_HEADER_VALUE + " characters");
                }
                out.add(pair);
            }
            return out;
        }

        /** {@code {"type", "message", "stack"}} or null. */
        JsonNode errorObject(String field, boolean required) {
            JsonNode v = get(field);
            if (v == null) {
                if (required) {
                    throw bad(field, "is required");
                }
                return NODES.nullNode();
            }
            if (!v.isObject()) {
                throw bad(field, "must be an object with type, message and stack");
            }
            return new In((ObjectNode) v, path + field + ".").asError();
        }

        private ObjectNode asError() {
            ObjectNode out = NODES.objectNode();
            out.put("type", string("type", true, MAX_NAME));
            out.put("message", string("message", false, MAX_ERROR_MESSAGE));
            out.put("stack", string("stack", false, MAX_STACK));
            return out;
        }

        /** Messages and logs may describe their error as text (e.g. "timeout") or as an error object. */
        JsonNode errorObjectOrString(String field) {
            JsonNode v = get(field);
            if (v != null && v.isTextual()) {
                return NODES.textNode(string(field, false, MAX_ERROR_MESSAGE));
            }
            return errorObject(field, false);
        }

        ArrayNode errorList(String field) {
            JsonNode v = get(field);
            ArrayNode out = NODES.arrayNode();
            if (v == null) {
                return out;
            }
            if (!v.isArray()) {
                throw bad(field, "must be an array");
            }
            if (v.size() > MAX_HANDLED_ERRORS) {
                throw bad(field, "has more than " + MAX_HANDLED_ERRORS + " entries");
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isObject()) {
                    throw bad(field + "[" + i + "]", "must be an object with type, message and stack");
                }
                out.add(new In((ObjectNode) item, path + field + "[" + i + "].").asError());
            }
            return out;
        }
    }
}
