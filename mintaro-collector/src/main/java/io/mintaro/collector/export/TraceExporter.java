package io.mintaro.collector.export;

import java.util.List;

/**
 * Sends stored traces to another system (Zipkin, an OTLP endpoint, statsd...).
 *
 * <p>The collector calls {@link #export} from one export thread per exporter, never from the
 * ingest path, with traces taken from a persisted queue: a call may block (up to its own timeout)
 * without delaying storage or other exporters. On an {@link ExportException} that is
 * {@linkplain ExportException#retryable() retryable} the same traces are offered again later with
 * back-off, else they are dead-lettered. Any other exception counts as retryable.
 */
public interface TraceExporter extends AutoCloseable {

    /** Short stable name, used in the queue, logs and {@code /api/health} (for example {@code zipkin}). */
    String name();

    /**
     * Sends these traces, all or nothing: a failure retries or dead-letters every one of them.
     *
     * @throws ExportException when the target refused the traces or could not be reached
     */
    void export(List<ExportedTrace> traces) throws ExportException;

    /**
     * Whether a trace is exported again, whole, when records of it arrive after it was exported
     * (late data: spans that ended after the trigger, answers of slow agents). True by default,
     * right for targets that merge spans by id (Zipkin) or accept duplicates with the same span
     * ids (OTLP). An exporter that counts what it gets returns false, or it would count the trace
     * twice; it then never sees the late records.
     */
    default boolean reexportsLateRecords() {
        return true;
    }

    /** Most traces handed to one {@link #export} call. */
    default int maxBatchSize() {
        return 100;
    }

    /** Releases the exporter's resources; called once when the collector stops. */
    @Override
    default void close() {
    }
}
