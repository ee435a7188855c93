package io.mintaro.collector;

import static io.mintaro.collector.ExportFixtures.CALLEE;
import static io.mintaro.collector.ExportFixtures.CLIENT;
import static io.mintaro.collector.ExportFixtures.LATE;
import static io.mintaro.collector.ExportFixtures.ROOT;
import static io.mintaro.collector.ExportFixtures.await;
import static io.mintaro.collector.ExportFixtures.postLateSpan;
import static io.mintaro.collector.ExportFixtures.postTrace;
import static io.mintaro.collector.ExportFixtures.registerAgents;
import static io.mintaro.collector.Records.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.collector.ExportFixtures.RecordingExporter;
import io.mintaro.collector.export.ExportException;
import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export from the collector: every completed trace goes through a persisted queue to each
 * exporter, off the ingest path, retried with back-off and dead-lettered (docs/storage.md,
 * {@code export_queue}; README "Export").
 */
class ExportQueueTest {
    @TempDir
    Path dir;

    @Test
    void aCompletedTraceIsHandedToTheExporterOnceWithAllItsRecords() throws Exception {
        RecordingExporter exporter = new RecordingExporter("recording");
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL))) {
            registerAgents(c);
            String t = traceId(0xe01);
            postTrace(c, t, true);
            await("export", 5, () -> exporter.exported().size() == 1);

            ExportedTrace trace = exporter.exported().get(0);
            assertThat(trace.traceId()).isEqualTo(t);
            assertThat(trace.status()).isEqualTo("error");
            assertThat(trace.fingerprint()).hasSize(16);
            assertThat(trace.services()).containsExactly("orders", "payments");
            assertThat(trace.spans()).extracting(ExportedTrace.Span::spanId).containsExactly(ROOT, CLIENT, CALLEE);
            assertThat(trace.roots()).extracting(ExportedTrace.Span::spanId).containsExactly(ROOT);
            ExportedTrace.Span callee = trace.spans().get(2);
            assertThat(callee.service()).isEqualTo("payments");
            assertThat(callee.parentSpanId()).isEqualTo(CLIENT);
            assertThat(callee.status()).isEqualTo("failed");
            assertThat(callee.endUs() - callee.startUs()).isEqualTo(50_000);
            assertThat(callee.error().type()).isEqualTo("java.lang.IllegalStateException");
            assertThat(callee.events()).containsExactly(new ExportedTrace.Event(callee.startUs() + 10_000, "card check",
                    Map.of("card.brand", "visa", "attempt", "2")));
            assertThat(callee.events().get(0).attributes().keySet()).containsExactly("card.brand", "attempt");
            assertThat(trace.spans().get(0).events()).extracting(ExportedTrace.Event::name)
                    .containsExactly("order placed");
            assertThat(trace.spans().get(1).events()).isEmpty();
            assertThat(trace.spans().get(1).attributes()).containsEntry("server.address", "127.0.0.1:8083");
            assertThat(trace.exchanges()).extracting(ExportedTrace.Exchange::status).containsExactly(500, 500);
            assertThat(trace.exchanges().get(0).requestHeaders())
                    .containsExactly(Map.entry("content-type", "application/json"));
            assertThat(trace.logs()).extracting(ExportedTrace.Log::level).containsExactly("INFO", "ERROR");
            assertThat(trace.logs().get(1).error().message()).isEqualTo("card declined");

            // Done: the row is gone, and health says so.
            await("health", 5, () -> c.getJson("/api/health").at("/export/recording/pending").asLong(-1) == 0);
            JsonNode health = c.getJson("/api/health").get("export").get("recording");
            assertThat(health.get("exported").asLong()).isEqualTo(1);
            assertThat(health.get("deadLetters").asLong()).isZero();
            assertThat(health.get("lagMs").asLong()).isZero();
            assertThat(health.get("lastSuccessAtMs").asLong()).isPositive();
            assertThat(queueRows(c.db)).isZero();
            Thread.sleep(300);
            assertThat(exporter.attempts.get()).isEqualTo(1);
        }
    }

    @Test
    void aFilterSelectsTracesByStatusAndService() throws Exception {
        RecordingExporter errors = new RecordingExporter("errors");
        RecordingExporter ledger = new RecordingExporter("ledger");
        try (TestCollector c = TestCollector.start(dir, b -> b
                .exporter(errors, ExportFilter.parse("F", "status:error,service:payments"))
                .exporter(ledger, ExportFilter.parse("F", "service:ledger")))) {
            registerAgents(c);
            String failed = traceId(0xe11);
            String fine = traceId(0xe12);
            postTrace(c, fine, false);
            postTrace(c, failed, true);
            await("export", 5, () -> errors.exportedIds().contains(failed));
            await("filtered", 5, () -> c.getJson("/api/health").at("/export/ledger/filteredOut").asLong() == 2);
            assertThat(errors.exportedIds()).containsExactly(failed);
            assertThat(ledger.exportedIds()).isEmpty();
            assertThat(c.getJson("/api/health").at("/export/errors/filter").asText())
                    .isEqualTo("status:error,service:payments");
        }
    }

    @Test
    void aFailingTargetIsRetriedWithBackOffUntilItAccepts() throws Exception {
        RecordingExporter exporter = new RecordingExporter("flaky");
        exporter.failWith = new ExportException("http://zipkin:9411/api/v2/spans answered 503", true);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL)
                .exportBackoffMs(50))) {
            registerAgents(c);
            String t = traceId(0xe21);
            postTrace(c, t, true);
            await("three attempts", 10, () -> exporter.attempts.get() >= 3);
            JsonNode health = c.getJson("/api/health").at("/export/flaky");
            assertThat(health.get("failedAttempts").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(health.get("lastError").asText()).contains("answered 503");
            assertThat(health.get("lastErrorAtMs").asLong()).isPositive();
            // Storage is untouched by the failures.
            assertThat(c.trace(t).get("spans")).hasSize(3);

            exporter.failWith = null;
            await("export", 10, () -> exporter.exportedIds().equals(java.util.List.of(t)));
            // The row goes once export() has returned.
            await("row removed", 5, () -> pendingRows(c.db) == 0);
        }
    }

    @Test
    void backOffGrowsBetweenAttempts() throws Exception {
        RecordingExporter exporter = new RecordingExporter("down");
        exporter.failWith = new ExportException("connection refused", true);
        java.util.List<Long> times = new java.util.concurrent.CopyOnWriteArrayList<>();
        exporter.beforeExport = () -> times.add(System.nanoTime());
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL)
                .exportBackoffMs(100).exportMaxAttempts(4))) {
            registerAgents(c);
            postTrace(c, traceId(0xe31), true);
            await("four attempts", 15, () -> times.size() == 4);
            // Back-off is base * 2^(attempts-1), with jitter between half and all of it: 100, 200, 400 ms.
            long second = (times.get(2) - times.get(1)) / 1_000_000;
            long third = (times.get(3) - times.get(2)) / 1_000_000;
            assertThat(second).isGreaterThanOrEqualTo(100);
            assertThat(third).isGreaterThanOrEqualTo(200);
        }
    }

    @Test
    void afterTheLastAttemptTheExportIsDeadLetteredAndTheTraceStaysStored() throws Exception {
        RecordingExporter exporter = new RecordingExporter("down");
        exporter.failWith = new ExportException("no answer within 10 ms", true);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL)
                .exportBackoffMs(1).exportMaxAttempts(3))) {
            registerAgents(c);
            String t = traceId(0xe41);
            postTrace(c, t, true);
            await("dead letter", 10, () -> c.getJson("/api/health").at("/export/down/deadLetters").asLong() == 1);
            assertThat(exporter.attempts.get()).isEqualTo(3);
            JsonNode health = c.getJson("/api/health").at("/export/down");
            assertThat(health.get("deadLettered").asLong()).isEqualTo(1);
            assertThat(health.get("pending").asLong()).isZero();
            assertThat(c.trace(t).get("spans")).hasSize(3);
            Thread.sleep(200);
            assertThat(exporter.attempts.get()).isEqualTo(3);
            assertThat(deadLetter(c.db, t)).isEqualTo("3|no answer within 10 ms");
        }
    }

    @Test
    void aRefusalThatCannotSucceedIsDeadLetteredAtOnce() throws Exception {
        RecordingExporter exporter = new RecordingExporter("strict");
        exporter.failWith = new ExportException("answered 400: malformed span", false);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL))) {
            registerAgents(c);
            String t = traceId(0xe51);
            postTrace(c, t, true);
            await("dead letter", 10, () -> c.getJson("/api/health").at("/export/strict/deadLetters").asLong() == 1);
            assertThat(exporter.attempts.get()).isEqualTo(1);
            assertThat(deadLetter(c.db, t)).isEqualTo("1|answered 400: malformed span");
        }
    }

    @Test
    void anExporterThatHangsNeverDelaysStorageNorOtherExporters() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingExporter stuck = new RecordingExporter("stuck");
        stuck.beforeExport = () -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        RecordingExporter healthy = new RecordingExporter("healthy");
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(stuck, ExportFilter.ALL)
                .exporter(healthy, ExportFilter.ALL))) {
            registerAgents(c);
            for (int i = 0; i < 5; i++) {
                postTrace(c, traceId(0xe60 + i), i % 2 == 0);
            }
            await("healthy exports", 5, () -> healthy.exported().size() == 5);
            assertThat(c.getJson("/api/traces").get("total").asLong()).isEqualTo(5);
            assertThat(stuck.exported()).isEmpty();
            await("lag visible", 5, () -> c.getJson("/api/health").at("/export/stuck/lagMs").asLong() > 0);
            release.countDown();
            await("stuck exports", 5, () -> stuck.exported().size() == 5);
        }
    }

    @Test
    void theQueueSurvivesARestart() throws Exception {
        RecordingExporter before = new RecordingExporter("zipkin");
        before.failWith = new ExportException("connection refused", true);
        String t = traceId(0xe71);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(before, ExportFilter.ALL)
                .exportBackoffMs(60_000))) {
            registerAgents(c);
            postTrace(c, t, true);
            await("first attempt", 5, () -> before.attempts.get() == 1);
        }
        assertThat(queueRows(TestDatabase.forDirectory(dir))).isEqualTo(1);
        // The same exporter name after a restart: the row is due at its back-off time, so make it due now.
        try (Connection db = TestDatabase.connect(TestDatabase.forDirectory(dir));
             Statement st = db.createStatement()) {
            st.execute("UPDATE export_queue SET next_attempt_at_ms = 0");
        }
        RecordingExporter after = new RecordingExporter("zipkin");
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(after, ExportFilter.ALL))) {
            await("export after restart", 5, () -> after.exportedIds().equals(java.util.List.of(t)));
        }
    }

    @Test
    void aTraceLeftIncompleteByTheLastRunIsExportedWhenTheNextStartCompletesIt() throws Exception {
        String t = traceId(0xe91);
        try (TestCollector c = TestCollector.start(dir, b -> b.answerTimeoutMs(60_000))) {
            registerAgents(c);
            com.fasterxml.jackson.databind.node.ObjectNode batch = Records.batch(ExportFixtures.PAYMENTS);
            Records.trigger(batch, t, "error", "HTTP 500", Records.T0_US / 1000);
            Records.breadcrumb(Records.entry(batch, t, false), "caller", ExportFixtures.ORDERS, null);
            c.postBatch(batch);
            assertThat(c.trace(t).get("complete").asBoolean()).isFalse();
        }
        RecordingExporter exporter = new RecordingExporter("recording");
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL))) {
            await("export", 5, () -> exporter.exportedIds().equals(java.util.List.of(t)));
        }
    }

    @Test
    void pastTheQueueBoundTracesAreStoredButNotQueued() throws Exception {
        RecordingExporter exporter = new RecordingExporter("slow");
        exporter.failWith = new ExportException("down", true);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL)
                .exportQueueMax(2).exportBackoffMs(60_000))) {
            registerAgents(c);
            for (int i = 0; i < 3; i++) {
                postTrace(c, traceId(0xe80 + i), true);
            }
            assertThat(c.getJson("/api/traces").get("total").asLong()).isEqualTo(3);
            assertThat(queueRows(c.db)).isEqualTo(2);
            await("skip counted", 5, () -> c.getJson("/api/health").at("/export/slow/skippedQueueFull").asLong() == 1);
            assertThat(c.getJson("/api/health").at("/export/slow/pending").asLong()).isEqualTo(2);
        }
    }

    @Test
    void aTraceWhoseStoredRecordsCannotBeReadIsDeadLetteredAndDoesNotBlockTheOthers() throws Exception {
        RecordingExporter exporter = new RecordingExporter("recording");
        CountDownLatch hold = new CountDownLatch(1);
        exporter.beforeExport = () -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        String bad = traceId(0xea1);
        String good = traceId(0xea2);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL))) {
            registerAgents(c);
            // A first trace occupies the exporter while the next two are queued; one of them is damaged.
            postTrace(c, traceId(0xea0), false);
            await("exporter busy", 5, () -> exporter.attempts.get() == 1);
            postTrace(c, bad, true);
            postTrace(c, good, true);
            try (Connection db = c.connect();
                 Statement st = db.createStatement()) {
                // Stored as an old row's JSON text (schema 9 reads rows without a format byte as text).
                st.execute("UPDATE spans SET payload = '{not json' WHERE trace_id = '" + bad + "'");
            }
            hold.countDown();
            await("good exported", 5, () -> exporter.exportedIds().contains(good));
            await("bad dead-lettered", 5,
                    () -> c.getJson("/api/health").at("/export/recording/deadLetters").asLong() == 1);
            assertThat(exporter.exportedIds()).doesNotContain(bad);
            assertThat(deadLetter(c.db, bad)).startsWith("1|stored records of trace " + bad + " are unreadable");
        }
    }

    @Test
    void lateRecordsOfAnExportedTraceSendTheWholeTraceAgain() throws Exception {
        RecordingExporter exporter = new RecordingExporter("recording");
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL))) {
            registerAgents(c);
            String t = traceId(0xeb1);
            postTrace(c, t, true);
            await("first export", 5, () -> exporter.exported().size() == 1);
            assertThat(exporter.exported().get(0).spans()).extracting(ExportedTrace.Span::spanId)
                    .containsExactly(ROOT, CLIENT, CALLEE);

            assertThat(postLateSpan(c, t)).isEqualTo(1);
            await("export with the late span", 5, () -> exporter.exported().size() == 2);
            ExportedTrace again = exporter.exported().get(1);
            assertThat(again.traceId()).isEqualTo(t);
            assertThat(again.spans()).extracting(ExportedTrace.Span::spanId).containsExactly(ROOT, CLIENT, CALLEE, LATE);
            assertThat(again.logs()).hasSize(2);
            await("queue empty", 5, () -> pendingRows(c.db) == 0);

            // The same late batch again (an agent's retry) stores nothing new, so nothing is re-sent.
            assertThat(postLateSpan(c, t)).isZero();
            Thread.sleep(500);
            assertThat(exporter.exported()).hasSize(2);
            assertThat(c.getJson("/api/health").at("/export/recording/exported").asLong()).isEqualTo(2);
        }
    }

    @Test
    void lateRecordsThatArriveWhileTheTraceIsBeingExportedAreSentAfterwards() throws Exception {
        RecordingExporter exporter = new RecordingExporter("recording");
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        exporter.beforeExport = () -> {
            inFlight.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL))) {
            registerAgents(c);
            String t = traceId(0xeb2);
            postTrace(c, t, true);
            // The exporter has read the trace and is sending it when the late span is stored.
            assertThat(inFlight.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(postLateSpan(c, t)).isEqualTo(1);
            release.countDown();
            await("second export", 5, () -> exporter.exported().size() == 2);
            assertThat(exporter.exported().get(0).spans()).hasSize(3);
            assertThat(exporter.exported().get(1).spans()).extracting(ExportedTrace.Span::spanId).contains(LATE);
            await("queue empty", 5, () -> pendingRows(c.db) == 0);
        }
    }

    @Test
    void lateRecordsOfATraceStillWaitingJoinItsOneExport() throws Exception {
        RecordingExporter exporter = new RecordingExporter("held");
        exporter.failWith = new ExportException("connection refused", true);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL)
                .exportBackoffMs(300))) {
            registerAgents(c);
            String t = traceId(0xeb3);
            postTrace(c, t, true);
            await("first attempt", 5, () -> exporter.attempts.get() == 1);
            assertThat(postLateSpan(c, t)).isEqualTo(1);
            assertThat(queueRows(c.db)).isEqualTo(1);
            exporter.failWith = null;
            await("export", 10, () -> exporter.exported().size() == 1);
            assertThat(exporter.exported().get(0).spans()).extracting(ExportedTrace.Span::spanId).contains(LATE);
            Thread.sleep(500);
            assertThat(exporter.exported()).hasSize(1);
        }
    }

    @Test
    void aDeadLetterStaysDeadWhenLateRecordsArrive() throws Exception {
        RecordingExporter exporter = new RecordingExporter("strict");
        exporter.failWith = new ExportException("answered 400: malformed span", false);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(exporter, ExportFilter.ALL))) {
            registerAgents(c);
            String t = traceId(0xeb4);
            postTrace(c, t, true);
            await("dead letter", 10, () -> c.getJson("/api/health").at("/export/strict/deadLetters").asLong() == 1);
            assertThat(postLateSpan(c, t)).isEqualTo(1);
            Thread.sleep(500);
            assertThat(exporter.attempts.get()).isEqualTo(1);
            assertThat(queueRows(c.db)).isZero();
            assertThat(deadLetter(c.db, t)).isEqualTo("1|answered 400: malformed span");
        }
    }

    @Test
    void anExporterThatOptsOutOfLateRecordsGetsTheTraceOnce() throws Exception {
        RecordingExporter counting = new RecordingExporter("counting");
        counting.reexportsLate = false;
        RecordingExporter merging = new RecordingExporter("merging");
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(counting, ExportFilter.ALL)
                .exporter(merging, ExportFilter.ALL))) {
            registerAgents(c);
            String t = traceId(0xeb5);
            postTrace(c, t, true);
            await("exports", 5, () -> counting.exported().size() == 1 && merging.exported().size() == 1);
            postLateSpan(c, t);
            await("merging gets it again", 5, () -> merging.exported().size() == 2);
            Thread.sleep(300);
            assertThat(counting.exported()).hasSize(1);
            assertThat(counting.exported().get(0).spans()).hasSize(3);
        }
    }

    @Test
    void aCollectorWithoutExportersShowsNoExportInHealth() throws Exception {
        try (TestCollector c = TestCollector.start(dir)) {
            assertThat(c.getJson("/api/health").has("export")).isFalse();
        }
    }

    @Test
    void twoExportersWithOneNameAreRefused() {
        assertThatThrownBy(() -> TestCollector.start(dir, b -> b
                .exporter(new RecordingExporter("same"), ExportFilter.ALL)
                .exporter(new RecordingExporter("same"), ExportFilter.ALL)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same");
    }

    static long queueRows(Database db) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM export_queue WHERE next_attempt_at_ms IS NOT NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@link #queueRows}, for conditions. */
    static long pendingRows(Database db) {
        try {
            return queueRows(db);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String deadLetter(Database db, String traceId) throws Exception {
        try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT attempts, last_error FROM export_queue WHERE trace_id = '" + traceId
                     + "' AND next_attempt_at_ms IS NULL AND dead_at_ms IS NOT NULL")) {
            return rs.next() ? rs.getInt(1) + "|" + rs.getString(2) : null;
        }
    }
}
