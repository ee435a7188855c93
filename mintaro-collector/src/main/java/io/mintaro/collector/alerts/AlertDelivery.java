package io.mintaro.collector.alerts;

/**
 * One alert in the outbox, and how its delivery went.
 *
 * @param eventKey the event's unique key (the same event is queued once, whichever collector saw it)
 * @param ruleId the rule that raised it
 * @param namespace the rule's namespace
 * @param kind what raised it: a rule kind's wire name, or {@code summary}
 * @param payload the JSON body that is (or was) posted
 * @param state {@code pending}, {@code delivered}, {@code failed} (gave up) or {@code suppressed}
 *     (folded into a summary by the rule's rate limit)
 * @param attempts the delivery attempts so far
 * @param lastStatus the HTTP status of the last attempt, or null (none, or no answer)
 * @param lastError why the last attempt failed, or null
 * @param createdAtMs when it was queued
 * @param deliveredAtMs when it was delivered, or null
 */
public record AlertDelivery(String eventKey, String ruleId, String namespace, String kind, String payload,
        String state, int attempts, Integer lastStatus, String lastError, long createdAtMs, Long deliveredAtMs) {
}
