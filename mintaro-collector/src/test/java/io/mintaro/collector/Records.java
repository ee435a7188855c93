package io.mintaro.collector;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders of protocol v1 JSON, so tests read like the protocol document. */
final class Records {
    /** A fixed base time (2025-11-21T04:40:00Z) in microseconds. */
    static final long T0_US = 1_763_700_000_000_000L;

    private Records() {
    }

    static String traceId(int n) {
        return String.format("%032x", n);
    }

    static String spanId(int n) {
        return String.format("%016x", n);
    }

    static ObjectNode obj() {
        return TestCollector.JSON.createObjectNode();
    }

    /** A batch from {@code agentId}; add triggers and trace entries with the helpers below. */
    static ObjectNode batch(String agentId) {
        ObjectNode b = obj().put("agentId", agentId);
        b.putArray("triggers");
        b.putArray("traces");
        return b;
    }

    static ObjectNode trigger(ObjectNode batch, String traceId, String kind, String reason, long atMs) {
        ((ArrayNode) batch.get("triggers")).addObject()
                .put("traceId", traceId).put("kind", kind).put("reason", reason).put("atMs", atMs);
        return batch;
    }

    /**
     * Adds a counted entry (protocol, "Counted triggers") with no occurrence yet and returns it;
     * add occurrences with {@link #occurrence} and {@code more} with {@link #more}.
     */
    static ObjectNode counted(ObjectNode batch, String kind, String endpoint, String problem) {
        ArrayNode counted = batch.has("counted") ? (ArrayNode) batch.get("counted") : batch.putArray("counted");
        ObjectNode c = counted.addObject().put("kind", kind).put("endpoint", endpoint).put("problem", problem);
        c.putArray("traces");
        return c.put("more", 0).put("lastAtMs", 0);
    }

    /** Adds a counted occurrence of {@code traceId} at {@code atMs}; {@code lastAtMs} follows. */
    static ObjectNode occurrence(ObjectNode counted, String traceId, long atMs) {
        ((ArrayNode) counted.get("traces")).addArray().add(traceId).add(atMs);
        return counted.put("lastAtMs", Math.max(counted.get("lastAtMs").asLong(), atMs));
    }

    /** Adds {@code n} occurrences without ids, the last of them at {@code lastAtMs}. */
    static ObjectNode more(ObjectNode counted, long n, long lastAtMs) {
        counted.put("more", counted.get("more").asLong() + n);
        return counted.put("lastAtMs", Math.max(counted.get("lastAtMs").asLong(), lastAtMs));
    }

    /** Adds a trace entry and returns it (with empty record arrays). */
    static ObjectNode entry(ObjectNode batch, String traceId, boolean reply) {
        ObjectNode e = ((ArrayNode) batch.get("traces")).addObject().put("traceId", traceId).put("reply", reply);
        e.putArray("spans");
        e.putArray("messages");
        e.putArray("logs");
        e.putArray("breadcrumbs");
        return e;
    }

    static ObjectNode span(ObjectNode entry, String spanId, String parent, String name, String status,
                           long startUs, Long endUs) {
        ObjectNode s = ((ArrayNode) entry.get("spans")).addObject()
                .put("spanId", spanId).put("parentSpanId", parent).put("name", name).put("kind", "server")
                .put("status", status).put("startUs", startUs);
        if (endUs == null) {
            s.putNull("endUs");
        } else {
            s.put("endUs", endUs.longValue());
        }
        s.putObject("attributes").put("http.route", "/x");
        s.putNull("error");
        s.putArray("handledErrors");
        return s;
    }

    /**
     * Adds a span event to {@code span}; {@code attributes} are key, value pairs (string values).
     * Returns the event.
     */
    static ObjectNode event(ObjectNode span, long timeUs, String name, String... attributes) {
        ArrayNode events = span.has("events") ? (ArrayNode) span.get("events") : span.putArray("events");
        ObjectNode e = events.addObject().put("timeUs", timeUs).put("name", name);
        ObjectNode attrs = e.putObject("attributes");
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            attrs.put(attributes[i], attributes[i + 1]);
        }
        return e;
    }

    static ObjectNode message(ObjectNode entry, long seq, String spanId, String direction, String method, String url,
                              int status, long startUs, String requestBody, String responseBody) {
        ObjectNode m = ((ArrayNode) entry.get("messages")).addObject()
                .put("seq", seq).put("spanId", spanId).put("direction", direction).put("method", method)
                .put("url", url).put("status", status).put("startUs", startUs).put("durationUs", 23_000);
        m.putArray("requestHeaders").addArray().add("content-type").add("application/json");
        m.put("requestBody", requestBody).put("requestBodyEncoding", requestBody == null ? null : "utf8")
                .put("requestBodySize", requestBody == null ? 0 : requestBody.length())
                .put("requestBodyTruncated", false);
        m.putArray("responseHeaders");
        m.put("responseBody", responseBody).put("responseBodyEncoding", responseBody == null ? null : "utf8")
                .put("responseBodySize", responseBody == null ? 0 : responseBody.length())
                .put("responseBodyTruncated", false);
        m.putNull("error");
        return m;
    }

    static ObjectNode log(ObjectNode entry, long seq, String spanId, long timeUs, String level, String message) {
        return ((ArrayNode) entry.get("logs")).addObject()
                .put("seq", seq).put("spanId", spanId).put("timeUs", timeUs).put("level", level)
                .put("logger", "io.mintaro.demo.Payments").put("thread", "qtp-12").put("message", message)
                .putNull("error");
    }

    static ObjectNode breadcrumb(ObjectNode entry, String role, String agentId, String authority) {
        return ((ArrayNode) entry.get("breadcrumbs")).addObject()
                .put("role", role).put("agentId", agentId).put("authority", authority).putNull("spanId");
    }
}
