package io.mintaro.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each recording method shows in the scrape, by the name the README gives it. */
class CollectorMetricsTest {
    final CollectorMetrics metrics = new CollectorMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    Samples scrape() {
        return Samples.parse(metrics.scrape());
    }

    @Test
    void aCompletedTraceCountsWithItsTimeFromTheFirstTriggerAndItsAgents() {
        metrics.traceCompleted(1_500, 3, 1);

        Samples s = scrape();
        assertThat(s.value("mintaro_collector_traces_completed_total")).isEqualTo(1);
        assertThat(s.value("mintaro_collector_trace_completion_seconds_count")).isEqualTo(1);
        assertThat(s.value("mintaro_collector_trace_completion_seconds_sum")).isEqualTo(1.5);
        assertThat(s.value("mintaro_collector_trace_completion_seconds_bucket", "le", "1.0")).isZero();
        assertThat(s.value("mintaro_collector_trace_completion_seconds_bucket", "le", "2.0")).isEqualTo(1);
        assertThat(s.value("mintaro_collector_trace_agents_asked_total")).isEqualTo(3);
        assertThat(s.value("mintaro_collector_trace_agents_missing_total")).isEqualTo(1);
    }

    @Test
    void aNegativeTimeSinceTheFirstTriggerCountsAsZero() {
        metrics.traceCompleted(-40, 1, 0);

        Samples s = scrape();
        assertThat(s.value("mintaro_collector_trace_completion_seconds_sum")).isZero();
        assertThat(s.value("mintaro_collector_trace_completion_seconds_bucket", "le", "0.05")).isEqualTo(1);
        assertThat(s.value("mintaro_collector_trace_agents_missing_total")).isZero();
    }

    @Test
    void aStoredBatchAddsItsRecordsBytesAndTime() {
        metrics.batchStored(3, 1_200, TimeUnit.MILLISECONDS.toNanos(20));
        metrics.batchStored(2, 800, TimeUnit.MILLISECONDS.toNanos(300));

        Samples s = scrape();
        assertThat(s.value("mintaro_collector_batches_stored_total")).isEqualTo(2);
        assertThat(s.value("mintaro_collector_records_stored_total")).isEqualTo(5);
        assertThat(s.value("mintaro_collector_batches_stored_bytes_total")).isEqualTo(2_000);
        assertThat(s.value("mintaro_collector_batch_store_seconds_count")).isEqualTo(2);
        assertThat(s.value("mintaro_collector_batch_store_seconds_bucket", "le", "0.025")).isEqualTo(1);
        assertThat(s.value("mintaro_collector_batch_store_seconds_bucket", "le", "0.5")).isEqualTo(2);
    }

    @Test
    void rejectedBatchesAreCountedPerReason() {
        metrics.batchRejected("400");
        metrics.batchRejected("400");
        metrics.batchRejected("413");

        Samples s = scrape();
        assertThat(s.value("mintaro_collector_batches_rejected_total", "reason", "400")).isEqualTo(2);
        assertThat(s.value("mintaro_collector_batches_rejected_total", "reason", "413")).isEqualTo(1);
        assertThat(s.find("mintaro_collector_batches_rejected_total")).hasSize(2);
    }

    @Test
    void aStoreCallIsTimedPerOperationAndOutcome() {
        metrics.databaseCall("get_trace", TimeUnit.MILLISECONDS.toNanos(2), true);
        metrics.databaseCall("get_trace", TimeUnit.MILLISECONDS.toNanos(7), true);
        metrics.databaseCall("ingest", TimeUnit.MILLISECONDS.toNanos(30), false);

        Samples s = scrape();
        String count = "mintaro_collector_database_seconds_count";
        assertThat(s.value(count, "operation", "get_trace", "outcome", "ok")).isEqualTo(2);
        assertThat(s.value(count, "operation", "ingest", "outcome", "error")).isEqualTo(1);
        assertThat(s.value("mintaro_collector_database_seconds_bucket", "operation", "get_trace", "outcome", "ok",
                "le", "0.005")).isEqualTo(1);
    }

    @Test
    void anOperationShowsItsFailuresAtZeroFromItsFirstCall() {
        metrics.databaseCall("find_groups", 1_000, true);

        assertThat(scrape().value("mintaro_collector_database_seconds_count", "operation", "find_groups",
                "outcome", "error")).isZero();
    }

    @Test
    void aTimedStoreCallThatThrowsIsAFailureAndItsExceptionPassesOn() throws SQLException {
        assertThat(metrics.database("get_group", () -> "found")).isEqualTo("found");
        assertThatThrownBy(() -> metrics.database("get_group", () -> {
            throw new SQLException("database is locked");
        })).isInstanceOf(SQLException.class).hasMessage("database is locked");

        Samples s = scrape();
        String count = "mintaro_collector_database_seconds_count";
        assertThat(s.value(count, "operation", "get_group", "outcome", "ok")).isEqualTo(1);
        assertThat(s.value(count, "operation", "get_group", "outcome", "error")).isEqualTo(1);
    }

    @Test
    void openPollsAreThoseOpenedAndNotClosed() {
        metrics.pollOpened();
        metrics.pollOpened();
        metrics.pollOpened();
        metrics.pollClosed();

        assertThat(scrape().value("mintaro_collector_polls_open")).isEqualTo(2);
    }

    @Test
    void registrationsAreCounted() {
        metrics.registered();
        metrics.registered();

        assertThat(scrape().value("mintaro_collector_registrations_total")).isEqualTo(2);
    }

    @Test
    void connectedAgentsAreReadAtEachScrapeInTotalAndPerService() {
        AtomicReference<Map<String, Integer>> connected = new AtomicReference<>(Map.of("orders", 2, "payments", 1));
        metrics.connectedAgents(connected::get);

        Samples s = scrape();
        assertThat(s.value("mintaro_collector_agents_connected")).isEqualTo(3);
        assertThat(s.value("mintaro_collector_service_agents_connected", "service", "orders")).isEqualTo(2);
        assertThat(s.value("mintaro_collector_service_agents_connected", "service", "payments")).isEqualTo(1);

        connected.set(Map.of("orders", 1));
        s = scrape();
        assertThat(s.value("mintaro_collector_agents_connected")).isEqualTo(1);
        assertThat(s.value("mintaro_collector_service_agents_connected", "service", "orders")).isEqualTo(1);
        // A service without connected agents has no series, rather than a stale one.
        assertThat(s.find("mintaro_collector_service_agents_connected", "service", "payments")).isEmpty();
    }

    @Test
    void anExportQueueIsNaNUntilItsFirstReading() {
        AtomicReference<Long> pending = new AtomicReference<>();
        metrics.exportQueue("zipkin", pending::get);

        assertThat(scrape().value("mintaro_collector_export_pending", "exporter", "zipkin")).isNaN();
        pending.set(42L);
        assertThat(scrape().value("mintaro_collector_export_pending", "exporter", "zipkin")).isEqualTo(42);
    }

    @Test
    void twoCollectorsInOneJvmDoNotShareMetrics() {
        try (CollectorMetrics other = new CollectorMetrics()) {
            other.batchStored(1, 10, 1_000);
            other.batchStored(1, 10, 1_000);
            metrics.batchStored(1, 10, 1_000);

            assertThat(scrape().value("mintaro_collector_batches_stored_total")).isEqualTo(1);
            assertThat(Samples.parse(other.scrape()).value("mintaro_collector_batches_stored_total")).isEqualTo(2);
        }
    }

    @Test
    void theJvmMetricsOfMicrometersBindersAreIncluded() {
        Samples s = scrape();
        assertThat(s.find("jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
        assertThat(s.value("jvm_threads_live_threads")).isPositive();
        assertThat(s.value("system_cpu_count")).isPositive();
        assertThat(s.find("process_uptime_seconds")).hasSize(1);
        assertThat(s.names()).anyMatch(n -> n.startsWith("jvm_gc_"));
    }

    @Test
    void theContentTypeIsTheOneOfTheTextFormatScrapeWrites() {
        assertThat(CollectorMetrics.CONTENT_TYPE).isEqualTo(PrometheusTextFormatWriter.CONTENT_TYPE)
                .startsWith("text/plain; version=0.0.4");
        assertThat(metrics.scrape()).doesNotContain("# EOF"); // the OpenMetrics terminator
    }
}
