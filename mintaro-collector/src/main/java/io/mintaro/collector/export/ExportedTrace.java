package io.mintaro.collector.export;

import java.util.List;
import java.util.Map;

/**
 * A stored trace as exporters see it: every span, HTTP exchange and log line, each with the
 * service of the agent that sent it. Times are epoch microseconds.
 *
 * @param status the trace's summary status: {@code error}, {@code slow} or {@code ok}
 * @param fingerprint the trace's error group
 */
public record ExportedTrace(String traceId, String status, String fingerprint, List<String> services,
                            List<Span> spans, List<Exchange> exchanges, List<Log> logs) {

    /**
     * One span.
     *
     * @param parentSpanId null for a root span
     * @param kind {@code server}, {@code client} or {@code internal}
     * @param status {@code started}, {@code succeeded} or {@code failed}
     * @param endUs null while {@code started}
     * @param error the failure, or null
     * @param events the span's events in the order they happened (empty when none)
     */
    public record Span(String service, String spanId, String parentSpanId, String name, String kind, String status,
                       long startUs, Long endUs, Map<String, String> attributes, Error error,
                       List<Error> handledErrors, List<Event> events) {
        /** A span without events (as exporters written before span events built them). */
        public Span(String service, String spanId, String parentSpanId, String name, String kind, String status,
                    long startUs, Long endUs, Map<String, String> attributes, Error error,
                    List<Error> handledErrors) {
            this(service, spanId, parentSpanId, name, kind, status, startUs, endUs, attributes, error, handledErrors,
                    List.of());
        }
    }

    /**
     * Something that happened at one moment of a span (OpenTelemetry's span event, Zipkin's
     * annotation).
     *
     * @param attributes as text (numbers, booleans and arrays in their JSON form), in the order sent
     */
    public record Event(long timeUs, String name, Map<String, String> attributes) {
    }

    /**
     * One HTTP exchange.
     *
     * @param direction {@code inbound} or {@code outbound}
     * @param status 0 when no response arrived
     * @param durationUs null when unknown
     * @param requestBody the body as text when it was UTF-8, else null
     * @param error why no response arrived, or null
     */
    public record Exchange(String service, String spanId, String direction, String method, String url, int status,
                           long startUs, Long durationUs, List<Map.Entry<String, String>> requestHeaders,
                           String requestBody, long requestBodySize, List<Map.Entry<String, String>> responseHeaders,
                           String responseBody, long responseBodySize, String error) {
    }

    /**
     * One log line.
     *
     * @param level {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}
     */
    public record Log(String service, String spanId, long timeUs, String level, String logger, String thread,
                      String message, Error error) {
    }

    /** An exception: its type, message and stack trace text (message and stack may be null). */
    public record Error(String type, String message, String stack) {
    }

    /** The spans without a parent in this trace (normally one). */
    public List<Span> roots() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Span s : spans) {
            ids.add(s.spanId());
        }
        return spans.stream().filter(s -> s.parentSpanId() == null || !ids.contains(s.parentSpanId())).toList();
    }
}
