package io.mintaro.collector.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated {@code /agent/v1/batches} body. Each record keeps its canonical JSON (the protocol
 * fields only) next to the values the store indexes.
 *
 * @param counted triggers whose trace the agent did not collect, counted (protocol, "Counted triggers")
 */
public record Batch(String agentId, List<Trigger> triggers, List<TraceEntry> traces, List<Counted> counted) {

    public Batch {
        triggers = List.copyOf(triggers);
        traces = List.copyOf(traces);
        counted = List.copyOf(counted);
    }

    /** A batch without counted triggers (as agents that predate them send). */
    public Batch(String agentId, List<Trigger> triggers, List<TraceEntry> traces) {
        this(agentId, triggers, traces, List.of());
    }

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

    /**
     * The triggers of one local group whose traces the agent did not collect (its rate limit, its
     * per-group limit or a full queue): each trace it kept the id of, and how many more it did not.
     *
     * @param kind {@code error}, {@code slow} or {@code manual}
     * @param endpoint the server span the triggers fired in (the agent's view of the group rule)
     * @param problem what went wrong there ({@code slow} for slow, {@code ok} for manual triggers)
     * @param traces the occurrences with their trace ids
     * @param more further occurrences without ids
     * @param lastAtMs the newest occurrence of the entry, {@code more} included (agent clock)
     */
    public record Counted(String kind, String endpoint, String problem, List<CountedTrace> traces, long more,
                          long lastAtMs) {
        public Counted {
            traces = List.copyOf(traces);
        }
    }

    /** One counted occurrence: the trace it happened in and when (agent clock). */
    public record CountedTrace(String traceId, long atMs) {
    }

    /** Another process that took part: named by agent id, or only by the authority that was called. */
    public record Breadcrumb(String role, String agentId, String authority, String spanId) {
    }
}
