package io.mintaro.collector;

import static io.mintaro.collector.ExportFixtures.await;
import static io.mintaro.collector.ExportFixtures.postTrace;
import static io.mintaro.collector.ExportFixtures.registerAgents;
import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.breadcrumb;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.export.ExportException;
import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.metrics.Samples;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a real collector, after the agent and API requests it counts. */
class MetricsTest {
    static final String AGENT = "3f2a9c0d11b4e7a1";
    static final String METRICS_KEY = "metrics-key-0123";

    @TempDir
    Path dir;

    /** A collector whose agents stay connected (and polls open) for the whole test: polls last 60 s. */
    TestCollector start() {
        return TestCollector.start(dir, b -> b.pollTimeoutMs(60_000));
    }

    static HttpResponse<String> scrape(TestCollector c, Map<String, String> headers) {
        return c.raw("GET", "/metrics", null, headers);
    }

    /** {@code GET /metrics} without credentials, expecting 200. */
    static Samples metrics(TestCollector c) {
        HttpResponse<String> r = scrape(c, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Samples.parse(r.body());
    }

    static double value(TestCollector c, String name, String... labels) {
        return metrics(c).value(name, labels);
    }

    @Test
    void aTriggeredBatchIsCountedAsStoredWithItsRecordsBytesAndTime() {
        try (TestCollector c = start()) {
            c.register(AGENT, "orders", "127.0.0.1:8082");
            String t = traceId(0x301);
            ObjectNode b = batch(AGENT);
            trigger(b, t, "error", "HTTP 500 POST /orders", 1_763_700_000_123L);
            ObjectNode e = entry(b, t, false);
            span(e, spanId(1), null, "POST /orders", "failed", T0_US, T0_US + 23_000);
            message(e, 1, spanId(1), "inbound", "POST", "http://127.0.0.1:8082/orders", 500, T0_US, "{}", "{}");
            log(e, 2, spanId(1), T0_US + 1_000, "ERROR", "charging failed");
            assertThat(c.postBatch(b)).isEqualTo(3);

            HttpResponse<String> r = scrape(c, Map.of());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            Samples s = Samples.parse(r.body());
            assertThat(s.value("mintaro_collector_batches_stored_total")).isEqualTo(1);
            assertThat(s.value("mintaro_collector_records_stored_total")).isEqualTo(3);
            assertThat(s.value("mintaro_collector_batches_stored_bytes_total"))
                    .isEqualTo(b.toString().getBytes(StandardCharsets.UTF_8).length);
            assertThat(s.value("mintaro_collector_batch_store_seconds_count")).isEqualTo(1);
            assertThat(s.value("mintaro_collector_batch_store_seconds_bucket", "le", "+Inf")).isEqualTo(1);
            assertThat(s.value("mintaro_collector_database_seconds_count", "operation", "ingest", "outcome", "ok"))
                    .isEqualTo(1);
            assertThat(s.value("mintaro_collector_database_seconds_count", "operation", "register", "outcome", "ok"))
                    .isEqualTo(1);
            assertThat(s.value("mintaro_collector_registrations_total")).isEqualTo(1);
            assertThat(s.value("mintaro_collector_agents_connected")).isEqualTo(1);
            assertThat(s.value("mintaro_collector_service_agents_connected", "service", "orders")).isEqualTo(1);
            assertThat(s.find("mintaro_collector_batches_rejected_total")).isEmpty();
            assertThat(s.find("jvm_memory_used_bytes")).isNotEmpty();
        }
    }

    @Test
    void aRefusedBatchIsCountedAsRejectedWithItsStatusAndNotAsStored() {
        try (TestCollector c = start()) {
            c.register(AGENT, "orders");
            assertThat(c.agentPost("/agent/v1/batches", "not json").statusCode()).isEqualTo(400);
            HttpRequest noKey = HttpRequest.newBuilder(URI.create(c.url("/agent/v1/batches")))
                    .header("Mintaro-Protocol", "1")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            assertThat(c.send(noKey).statusCode()).isEqualTo(401);
            assertThat(c.agentPost("/agent/v1/batches", batch("00000000000000ff")).statusCode()).isEqualTo(404);
            assertThat(c.agentPost("/agent/v1/batches", "[1]").statusCode()).isEqualTo(400);

            Samples s = metrics(c);
            assertThat(s.value("mintaro_collector_batches_rejected_total", "reason", "400")).isEqualTo(2);
            assertThat(s.value("mintaro_collector_batches_rejected_total", "reason", "401")).isEqualTo(1);
            assertThat(s.value("mintaro_collector_batches_rejected_total", "reason", "404")).isEqualTo(1);
            assertThat(s.value("mintaro_collector_batches_stored_total")).isZero();
            assertThat(s.value("mintaro_collector_batch_store_seconds_count")).isZero();
        }
    }

    @Test
    void theStoreCallsOfTheApiAreTimedPerOperation() throws Exception {
        try (TestCollector c = start()) {
            registerAgents(c);
            String t = traceId(0x302);
            postTrace(c, t, true);
            String fingerprint = c.getJson("/api/groups").at("/groups/0/fingerprint").asText();

            c.getJson("/api/traces");
            c.getJson("/api/traces/" + t);
            c.getJson("/api/services");
            c.getJson("/api/slow");
            c.getJson("/api/groups/" + fingerprint);
            c.getJson("/api/groups/" + fingerprint + "/traces");
            HttpResponse<String> triage = c.api("PUT", "/api/groups/" + fingerprint + "/triage", "{\"level\": \"warn\"}");
            assertThat(triage.statusCode()).as(triage.body()).isEqualTo(200);

            Samples s = metrics(c);
            String count = "mintaro_collector_database_seconds_count";
            // awaitComplete in postTrace read the trace too, so get_trace is at least 2.
            assertThat(s.value(count, "operation", "get_trace", "outcome", "ok")).isGreaterThanOrEqualTo(2);
            assertThat(s.value(count, "operation", "find_traces", "outcome", "ok")).isEqualTo(2);
            assertThat(s.value(count, "operation", "services", "outcome", "ok")).isEqualTo(1);
            assertThat(s.value(count, "operation", "span_stats", "outcome", "ok")).isEqualTo(1);
            assertThat(s.value(count, "operation", "find_groups", "outcome", "ok")).isEqualTo(1);
            // The group's GET and the triage's answer; its traces page has a trace, so it does not look the group up.
            assertThat(s.value(count, "operation", "get_group", "outcome", "ok")).isEqualTo(2);
            assertThat(s.value(count, "operation", "triage", "outcome", "ok")).isEqualTo(1);
            assertThat(s.value(count, "operation", "ingest", "outcome", "ok")).isEqualTo(2);
            assertThat(s.find(count, "outcome", "error")).allSatisfy(f -> assertThat(f.value()).isZero());
        }
    }

    @Test
    void aLongPollIsOpenUntilItIsAnsweredWhetherReplacedOrWithACommand() throws Exception {
        try (TestCollector c = start()) {
            registerAgents(c);
            CompletableFuture<HttpResponse<String>> first = c.pollAsync(ExportFixtures.ORDERS);
            await("first poll open", 10, () -> value(c, "mintaro_collector_polls_open") == 1);

            // A newer poll of the same agent answers the older one.
            CompletableFuture<HttpResponse<String>> second = c.pollAsync(ExportFixtures.ORDERS);
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(value(c, "mintaro_collector_polls_open")).isEqualTo(1);

            // payments triggers and names orders: orders' poll is answered with the collect command.
            String t = traceId(0x303);
            ObjectNode b = batch(ExportFixtures.PAYMENTS);
            trigger(b, t, "error", "HTTP 500 POST /payments", 1_763_700_000_123L);
            breadcrumb(entry(b, t, false), "caller", ExportFixtures.ORDERS, null);
            c.postBatch(b);
            HttpResponse<String> answered = second.get(10, TimeUnit.SECONDS);
            assertThat(answered.body()).contains(t);
            assertThat(value(c, "mintaro_collector_polls_open")).isZero();
        }
    }

    @Test
    void theExportQueueShowsTheTracesWaitingPerExporter() throws Exception {
        ExportFixtures.RecordingExporter exporter = new ExportFixtures.RecordingExporter("slow");
        exporter.failWith = new ExportException("down", true);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL)
                .exportBackoffMs(60_000))) {
            registerAgents(c);
            postTrace(c, traceId(0x304), true);
            postTrace(c, traceId(0x305), true);
            await("both pending", 10, () -> c.getJson("/api/health").at("/export/slow/pending").asLong() == 2);

            assertThat(value(c, "mintaro_collector_export_pending", "exporter", "slow")).isEqualTo(2);
        }
    }

    @Test
    void withAMetricsKeyAScrapeWithoutItIs401AndWithIt200() {
        try (TestCollector c = TestCollector.start(dir, b -> b.metricsKey(METRICS_KEY))) {
            assertThat(scrape(c, Map.of()).statusCode()).isEqualTo(401);
            assertThat(scrape(c, Map.of("Authorization", "Bearer wrong-key-0123")).statusCode()).isEqualTo(401);
            // The API key reads traces; it does not open /metrics.
            assertThat(scrape(c, Map.of("Authorization", "Bearer " + TestCollector.KEY)).statusCode()).isEqualTo(401);
            HttpResponse<String> refused = scrape(c, Map.of());
            assertThat(TestCollector.json(refused).get("error").asText()).contains("MINTARO_METRICS_KEY");

            HttpResponse<String> r = scrape(c, Map.of("Authorization", "Bearer " + METRICS_KEY));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(Samples.parse(r.body()).value("mintaro_collector_batches_stored_total")).isZero();
        }
    }

    @Test
    void withoutAMetricsKeyTheApiKeyIsNotNeeded() {
        try (TestCollector c = start()) {
            assertThat(scrape(c, Map.of()).statusCode()).isEqualTo(200);
            // /api still needs its key: /metrics is not under it.
            assertThat(c.raw("GET", "/api/traces", null, Map.of()).statusCode()).isEqualTo(401);
        }
    }
}
