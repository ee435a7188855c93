package io.mintaro.collector.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated {@code /agent/v1/batches} body. Each record keeps its canonical JSON (the protocol
 * fields only) next to the values the store indexes.
 */
public record Batch(String agentId, List<Trigger> triggers, List<TraceEntry> traces) {

    /** A decision of the agent that a trace must be collected. */
    public record Trigger(String traceId, String kind, String reason, long atMs) {
    }

    /** All records of one trace from this agent, and whether they answer a {@code collect}. */
    public record TraceEntry(String traceId, boolean reply, List<Span> spans, List<Message> messages,
                             List<Log> logs, List<Breadcrumb> breadcrumbs) {
        public int recordCount() {
            return spans.size() + messages.size() + logs.size();
        }
    }

    public record Span(String spanId, String parentSpanId, String name, String kind, String status,
                       long startUs, Long endUs, ObjectNode json) {
    }

    /** One HTTP exchange; the bodies are kept as columns (when text) for search. */
    public record Message(long seq, String spanId, String direction, String method, String url, int status,
                          long startUs, Long durationUs, String requestBodyText, String responseBodyText,
                          ObjectNode json) {
    }

    public record Log(long seq, String spanId, long timeUs, String level, String logger, String message,
                      ObjectNode json) {
    }

    /** Another process that took part: named by agent id, or only by the authority that was called. */
    public record Breadcrumb(String role, String agentId, String authority, String spanId) {
    }
}
