package io.mintaro.collector.store;

import io.mintaro.collector.alerts.AlertDelivery;
import io.mintaro.collector.alerts.AlertRule;
import io.mintaro.collector.alerts.GroupActivity;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Alert rules and the delivery outbox ({@code alert_rules}, {@code alert_deliveries}). */
public interface AlertStore {
    /** All rules, of every namespace, oldest first. */
    List<AlertRule> rules() throws SQLException;

    /** One rule, or empty. */
    Optional<AlertRule> rule(String id) throws SQLException;

    /** Creates or replaces a rule. */
    void saveRule(AlertRule rule) throws SQLException;

    /** Deletes a rule (its deliveries stay, for the record); false when there was none. */
    boolean deleteRule(String id) throws SQLException;

    /**
     * Queues a delivery, due at {@code nowMs}, unless one with the same event key exists.
     *
     * @return false when the event was queued before (by this or another collector)
     */
    boolean enqueue(String eventKey, String ruleId, String namespace, String kind, String payload, String state,
            long nowMs) throws SQLException;

    /** Whether an event with this key was queued. */
    boolean queued(String eventKey) throws SQLException;

    /** How many deliveries of {@code ruleId} in a state other than suppressed were queued since {@code sinceMs}. */
    int queuedSince(String ruleId, long sinceMs) throws SQLException;

    /** The suppressed deliveries of {@code ruleId} not yet summarised; marks them summarised. */
    int takeSuppressed(String ruleId) throws SQLException;

    /**
     * Claims up to {@code max} due deliveries for {@code leaseMs}: a claimed row is not due for
     * another collector until the lease ends (a collector that died leaves it due again).
     */
    List<AlertDelivery> claim(long nowMs, long leaseMs, int max) throws SQLException;

    /** Records a successful attempt. */
    void delivered(String eventKey, int status, long nowMs) throws SQLException;

    /** Records a failed attempt: due again at {@code retryAtMs}, or failed for good when it is null. */
    void attemptFailed(String eventKey, Integer status, String error, Long retryAtMs) throws SQLException;

    /** The newest deliveries first, of one namespace or (null) of all. */
    List<AlertDelivery> deliveries(String namespace, int limit) throws SQLException;

    /**
     * The groups of traces of {@code namespace} (those that have a fingerprint), each with its
     * stored traces in all and since {@code windowStartMs}, and its triage.
     */
    List<GroupActivity> activity(String namespace, Collection<String> traceIds, long windowStartMs) throws SQLException;

    /**
     * The fingerprints of the groups of {@code namespace} triaged {@code level} with traces stored in
     * [from, to), less those silenced at {@code nowMs}.
     */
    List<String> groupsWithTraces(String namespace, String level, long fromMs, long toMs, long nowMs)
            throws SQLException;
}
