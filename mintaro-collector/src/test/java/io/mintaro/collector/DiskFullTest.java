package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.store.Database;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database with no room left: SQLite's {@code max_page_count} plays a full disk (the write fails
 * with {@code SQLITE_FULL}, as on a full filesystem). Ingest answers {@code 507}, every batch
 * acknowledged before stays whole, and the refused batch is stored once there is room again.
 */
class DiskFullTest {
    private static final String AGENT = "00000000000000d1";

    @TempDir
    Path dir;

    @Test
    void aFullDatabaseAnswers507KeepsWhatItAcknowledgedAndTakesTheRefusedBatchOnceThereIsRoom() throws Exception {
        Path file = dir.resolve("mintaro.db");
        long pages;
        try (TestCollector empty = TestCollector.start(dir, b -> b.dbPath(file));
             Connection db = empty.connect(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA page_count")) {
            rs.next();
            pages = rs.getLong(1);
        }
        Database capped = new Database(Database.Kind.SQLITE,
                "jdbc:sqlite:" + file.toAbsolutePath() + "?max_page_count=" + (pages + 40), file, null, null);

        List<String> acknowledged = new ArrayList<>();
        ObjectNode refused = null;
        HttpResponse<String> full = null;
        try (TestCollector c = TestCollector.start(dir, b -> b.database(capped))) {
            c.register(AGENT, "payments");
            for (int n = 1; n <= 400 && refused == null; n++) {
                ObjectNode batch = batchWithALargeLog(n);
                HttpResponse<String> r = c.agentPost("/agent/v1/batches", batch);
                if (r.statusCode() == 200) {
                    acknowledged.add(traceId(n));
                } else {
                    full = r;
                    refused = batch;
                }
            }
            assertThat(full).as("the database never filled up").isNotNull();
            assertThat(full.statusCode()).as(full.body()).isEqualTo(507);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(TestCollector.json(full).path("error").asText()).startsWith("database full");
            assertThat(acknowledged).hasSizeGreaterThan(3);

            // reads go on while writes cannot; every acknowledged trace is whole
            for (String id : acknowledged) {
                JsonNode trace = c.trace(id);
                assertThat(trace.path("spans")).hasSize(1);
                assertThat(trace.path("logs")).hasSize(1);
                assertThat(trace.path("logs").get(0).path("message").asText()).hasSize(6_000);
            }
            // all or nothing: the refused batch left nothing behind
            assertThat(c.get("/api/traces/" + refused.at("/traces/0/traceId").asText()).statusCode()).isEqualTo(404);
            // and the collector answers the same way, without a 500, while it stays full
            assertThat(c.agentPost("/agent/v1/batches", refused).statusCode()).isEqualTo(507);
        }

        try (TestCollector roomy = TestCollector.start(dir, b -> b.dbPath(file))) {
            assertThat(roomy.postBatch(refused)).isEqualTo(2);
            JsonNode stored = roomy.trace(refused.at("/traces/0/traceId").asText());
            assertThat(stored.path("logs")).hasSize(1);
            for (String id : acknowledged) {
                assertThat(roomy.trace(id).path("logs")).hasSize(1);
            }
        }
    }

    /** One trace: a trigger, a span and a log of 6,000 characters that do not compress. */
    private static ObjectNode batchWithALargeLog(int n) {
        ObjectNode batch = batch(AGENT);
        trigger(batch, traceId(n), "error", "HTTP 500 POST /pay", 1_763_700_000_000L + n);
        ObjectNode entry = entry(batch, traceId(n), false);
        span(entry, spanId(n), null, "POST /pay", "failed", T0_US + n, T0_US + n + 1_000);
        StringBuilder noise = new StringBuilder(6_000);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (noise.length() < 6_000) {
            noise.append(Character.forDigit(random.nextInt(36), 36));
        }
        log(entry, n, spanId(n), T0_US + n + 10, "ERROR", noise.toString());
        return batch;
    }
}
