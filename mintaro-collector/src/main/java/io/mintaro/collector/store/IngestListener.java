package io.mintaro.collector.store;

/** Told about every committed batch, after the commit (alerts evaluate it). Must not block. */
public interface IngestListener {
    /** A listener that does nothing. */
    IngestListener NONE = (namespace, result, nowMs) -> { };

    /** A batch of {@code namespace} was committed at {@code nowMs}. */
    void stored(String namespace, IngestResult result, long nowMs);
}
