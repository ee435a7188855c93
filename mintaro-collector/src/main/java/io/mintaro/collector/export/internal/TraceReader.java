package io.mintaro.collector.export.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.internal.Json;
import io.mintaro.collector.store.Storage;
import io.mintaro.collector.store.TraceDetail;
import java.io.IOException;
import java.sql.SQLException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a stored trace into the exporters' model. */
public final class TraceReader {
    private TraceReader() {
    }

    /**
     * The trace, or empty when it is not stored (any more).
     *
     * @throws IOException when a stored record is not readable JSON (it will never be)
     */
    public static Optional<ExportedTrace> read(Storage store, String traceId) throws SQLException, IOException {
        Optional<TraceDetail> found = store.traces().get(traceId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        TraceDetail d = found.get();
        String fingerprint = store.traces().fingerprint(traceId).orElse(null);
        try {
            return Optional.of(convert(d, fingerprint));
        } catch (IOException | RuntimeException e) {
            throw new IOException("stored records of trace " + traceId + " are unreadable: " + e.getMessage(), e);
        }
    }

    static ExportedTrace convert(TraceDetail d, String fingerprint) throws IOException {
        List<ExportedTrace.Span> spans = new ArrayList<>();
        for (String json : d.spans()) {
            JsonNode n = Json.MAPPER.readTree(json);
            List<ExportedTrace.Error> handled = new ArrayList<>();
            for (JsonNode h : n.path("handledErrors")) {
                handled.add(error(h));
            }
            // Spans stored before span events existed have no "events" field: none.
            List<ExportedTrace.Event> events = new ArrayList<>();
            for (JsonNode e : n.path("events")) {
                events.add(new ExportedTrace.Event(e.path("timeUs").asLong(), text(e, "name"),
                        Collections.unmodifiableMap(attributes(e.path("attributes")))));
            }
            spans.add(new ExportedTrace.Span(text(n, "service"), text(n, "spanId"), text(n, "parentSpanId"),
                    text(n, "name"), text(n, "kind"), text(n, "status"), n.path("startUs").asLong(),
                    longOrNull(n, "endUs"), Map.copyOf(attributes(n.path("attributes"))), error(n.get("error")),
                    List.copyOf(handled), List.copyOf(events)));
        }
        List<ExportedTrace.Exchange> exchanges = new ArrayList<>();
        for (String json : d.messages()) {
            JsonNode n = Json.MAPPER.readTree(json);
            exchanges.add(new ExportedTrace.Exchange(text(n, "service"), text(n, "spanId"), text(n, "direction"),
                    text(n, "method"), text(n, "url"), n.path("status").asInt(), n.path("startUs").asLong(),
                    longOrNull(n, "durationUs"), headers(n.path("requestHeaders")), body(n, "request"),
                    n.path("requestBodySize").asLong(), headers(n.path("responseHeaders")), body(n, "response"),
                    n.path("responseBodySize").asLong(), text(n, "error")));
        }
        List<ExportedTrace.Log> logs = new ArrayList<>();
        for (String json : d.logs()) {
            JsonNode n = Json.MAPPER.readTree(json);
            logs.add(new ExportedTrace.Log(text(n, "service"), text(n, "spanId"), n.path("timeUs").asLong(),
                    text(n, "level"), text(n, "logger"), text(n, "thread"), text(n, "message"),
                    error(n.get("error"))));
        }
        return new ExportedTrace(d.summary().traceId(), d.summary().status(), fingerprint,
                List.copyOf(d.summary().services()), List.copyOf(spans), List.copyOf(exchanges), List.copyOf(logs));
    }

    /** Attribute values as text: strings as they are, other values in their JSON form. */
    private static Map<String, String> attributes(JsonNode attrs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long longOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    private static ExportedTrace.Error error(JsonNode n) {
        if (n == null || n.isNull() || !n.isObject()) {
            return null;
        }
        return new ExportedTrace.Error(text(n, "type"), text(n, "message"), text(n, "stack"));
    }

    private static String body(JsonNode n, String prefix) {
        return "utf8".equals(text(n, prefix + "BodyEncoding")) ? text(n, prefix + "Body") : null;
    }

    private static List<Map.Entry<String, String>> headers(JsonNode n) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (JsonNode h : n) {
            if (h.size() == 2) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(h.get(0).asText(), h.get(1).asText()));
            }
        }
        return List.copyOf(out);
    }
}
