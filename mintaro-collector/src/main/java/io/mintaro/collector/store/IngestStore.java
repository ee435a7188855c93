package io.mintaro.collector.store;

import io.mintaro.collector.protocol.Batch;
import java.sql.SQLException;

/** Stores what agents send, and marks traces complete. */
public interface IngestStore {
    /** Traces whose count window one {@link #forgetCounted} call ends, at most. */
    int FORGET_CHUNK = 5_000;

    /**
     * Stores a validated batch of an agent of {@code namespace} in one transaction; its trace ids
     * are that namespace's.
     *
     * <p>Triggers create their trace. An entry is stored only when its trace is known (stored
     * before, or triggered in this batch); otherwise it is dropped. Spans are upserted so that a
     * finished span replaces a {@code started} one but never the reverse; messages and logs are
     * deduplicated by {@code (traceId, agentId, seq)}. New records of a trace that was complete
     * before the batch are late data: the trace is queued again for the exporters that re-export.
     *
     * <p>The retrieval's state ({@link CollectionStore}) changes in the same transaction.
     *
     * <p>Counted triggers ({@link Batch#counted()}): one whose trace is stored becomes a trigger of
     * it; another is one occurrence of its group at once, and waits for its trace until
     * {@link #forgetCounted}.
     */
    IngestResult store(Batch batch, String namespace, String service, long nowMs) throws SQLException;

    /** {@link #store(Batch, String, String, long)} in the default namespace. */
    default IngestResult store(Batch batch, String service, long nowMs) throws SQLException {
        return store(batch, Namespaces.DEFAULT, service, nowMs);
    }

    /**
     * Ends the count window of the counted triggers that arrived more than {@code windowMs} before
     * {@code nowMs}: their ids are forgotten; their occurrences stay counted.
     *
     * @return the rows forgotten; {@value #FORGET_CHUNK} or more means more may be due
     */
    int forgetCounted(long nowMs, long windowMs) throws SQLException;
}
