package io.mintaro.collector.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an agent's recorder reported with a poll (protocol, {@code stats}): its figures since the
 * process started. Every figure is null when the agent did not send it (an older or newer SDK may
 * send fewer or more).
 *
 * @param receivedAtMs collector clock when the poll carrying them arrived
 * @param bufferBytes the flight recorder's budget
 * @param bytesRecorded bytes the recorder has claimed so far (it keeps the newest {@code bufferBytes})
 * @param historyMs how much activity the recorder holds, from its oldest record to its newest
 * @param retentionShort true when the recorder, once it has lapped, holds less history than a
 *     request slower than the slow threshold needs
 * @param triggersReported triggers whose trace the agent asked the collector to collect
 * @param triggersRateLimited triggers not collected because of the process's rate limit (counted instead)
 * @param triggersGroupLimited triggers not collected because their group used its collections of the minute
 * @param triggersCounted triggers the collector acknowledged as counts
 * @param triggersDropped triggers lost: neither collected nor counted (the agent's queues were full)
 * @param batchesSent batches the collector acknowledged
 * @param batchesFailed batches that failed (sent again, or refused)
 */
public record AgentStats(long receivedAtMs, Long bufferBytes, Long bytesRecorded, Long historyMs,
                         Boolean retentionShort, Long triggersReported, Long triggersRateLimited,
                         Long triggersGroupLimited, Long triggersCounted, Long triggersDropped, Long batchesSent,
                         Long batchesFailed) {
    /** The counters a service's figures add up over its agents, by their protocol names. */
    public static final java.util.List<String> COUNTERS = java.util.List.of("triggersReported",
            "triggersRateLimited", "triggersGroupLimited", "triggersCounted", "triggersDropped", "batchesSent",
            "batchesFailed");

    /** The figures as JSON, by their protocol names plus {@code receivedAtMs}; absent ones are left out. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("receivedAtMs", receivedAtMs);
        putIfSet(n, "bufferBytes", bufferBytes);
        putIfSet(n, "bytesRecorded", bytesRecorded);
        putIfSet(n, "historyMs", historyMs);
        if (retentionShort != null) {
            n.put("retentionShort", retentionShort);
        }
        for (String counter : COUNTERS) {
            putIfSet(n, counter, counter(counter));
        }
        return n;
    }

    /** Reads what {@link #toJson()} wrote; a field that is missing or of another type is null. */
    public static AgentStats fromJson(JsonNode n) {
        return new AgentStats(n.path("receivedAtMs").asLong(0), longOrNull(n, "bufferBytes"),
                longOrNull(n, "bytesRecorded"), longOrNull(n, "historyMs"),
                n.path("retentionShort").isBoolean() ? n.get("retentionShort").booleanValue() : null,
                longOrNull(n, "triggersReported"), longOrNull(n, "triggersRateLimited"),
                longOrNull(n, "triggersGroupLimited"), longOrNull(n, "triggersCounted"),
                longOrNull(n, "triggersDropped"), longOrNull(n, "batchesSent"), longOrNull(n, "batchesFailed"));
    }

    /** One of {@link #COUNTERS} by name, null when not reported. */
    public Long counter(String name) {
        return switch (name) {
            case "triggersReported" -> triggersReported;
            case "triggersRateLimited" -> triggersRateLimited;
            case "triggersGroupLimited" -> triggersGroupLimited;
            case "triggersCounted" -> triggersCounted;
            case "triggersDropped" -> triggersDropped;
            case "batchesSent" -> batchesSent;
            case "batchesFailed" -> batchesFailed;
            default -> throw new IllegalArgumentException("no counter " + name);
        };
    }

    private static void putIfSet(ObjectNode n, String name, Long value) {
        if (value != null) {
            n.put(name, value);
        }
    }

    private static Long longOrNull(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v != null && v.isIntegralNumber() && v.canConvertToLong() ? v.longValue() : null;
    }
}
