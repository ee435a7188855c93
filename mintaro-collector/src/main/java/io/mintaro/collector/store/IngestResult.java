package io.mintaro.collector.store;

import java.util.Map;
import java.util.Set;

/**
 * What one committed batch did.
 *
 * @param accepted spans, messages and logs inserted or updated (duplicates are not counted)
 * @param before for every trace the batch named, how the store knew it before this batch
 * @param keptTraces traces whose entries were stored
 * @param droppedTraces traces whose entries were dropped: no trigger and not known
 */
public record IngestResult(int accepted, Map<String, Known> before, Set<String> keptTraces, Set<String> droppedTraces) {

    /** A trace's state before the batch. */
    public enum Known {
        /** Not stored. */
        UNKNOWN,
        /** Stored, still being collected. */
        COLLECTING,
        /** Stored and complete. */
        COMPLETE
    }
}
