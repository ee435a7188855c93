package io.mintaro.collector.store;

import java.util.List;

/** One row of the {@code traces} table: the summary recomputed after every commit. */
public record TraceSummary(String traceId, String name, String status, List<String> services,
                           Long startedAtUs, Long durationUs, String triggerKind, String triggerReason,
                           String triggerService, Long triggeredAtMs, Long completedAtMs, long updatedAtMs,
                           int spanCount, int messageCount, int logCount) {
    public boolean complete() {
        return completedAtMs != null;
    }
}
