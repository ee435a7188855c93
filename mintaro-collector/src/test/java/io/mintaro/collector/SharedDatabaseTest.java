package io.mintaro.collector;

import static io.mintaro.collector.ExportFixtures.await;
import static io.mintaro.collector.ExportFixtures.postTrace;
import static io.mintaro.collector.ExportFixtures.registerAgents;
import static io.mintaro.collector.Records.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.collector.export.ExportFilter;
import io.mintaro.collector.store.Database;
import io.mintaro.testkit.servers.PostgresCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two collectors on one PostgreSQL database, in one JVM (the replica tests run separate processes
 * behind HAProxy): what one stores the other serves, and exports are claimed, not shared.
 */
class SharedDatabaseTest {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path one;
    @TempDir
    Path two;

    private static Database freshDatabase() {
        PostgresCluster pg = TestDatabase.cluster();
        return Database.postgresql(pg.createDatabase("shared" + NAMES.incrementAndGet()), pg.user(), pg.password());
    }

    @Test
    void eachCompletedTraceIsExportedOnceWhicheverCollectorHoldsTheExporter() throws Exception {
        Database db = freshDatabase();
        ExportFixtures.RecordingExporter first = new ExportFixtures.RecordingExporter("zipkin");
        ExportFixtures.RecordingExporter second = new ExportFixtures.RecordingExporter("zipkin");
        // Slow targets, so that both collectors look at the queue while exports are in flight.
        first.beforeExport = () -> pause(20);
        second.beforeExport = () -> pause(20);
        List<String> traces = new ArrayList<>();
        try (TestCollector a = TestCollector.start(one, b -> b.database(db).exporter(first, ExportFilter.ALL));
             TestCollector b = TestCollector.start(two, x -> x.database(db).exporter(second, ExportFilter.ALL))) {
            registerAgents(a);
            for (int i = 0; i < 40; i++) {
                String t = traceId(0x7000 + i);
                traces.add(t);
                postTrace(i % 2 == 0 ? a : b, t, true);
            }
            await("all exported", 20, () -> first.exportedIds().size() + second.exportedIds().size() >= traces.size());
            Thread.sleep(300); // a duplicate, if any, would show now
            List<String> all = new ArrayList<>(first.exportedIds());
            all.addAll(second.exportedIds());
            assertThat(all).hasSameSizeAs(traces);
            assertThat(new HashSet<>(all)).isEqualTo(Set.copyOf(traces));
        }
    }

    @Test
    void aTraceStoredThroughOneCollectorIsServedByTheOther() throws Exception {
        Database db = freshDatabase();
        try (TestCollector a = TestCollector.start(one, x -> x.database(db));
             TestCollector b = TestCollector.start(two, x -> x.database(db))) {
            registerAgents(a);
            String t = traceId(0x7100);
            postTrace(b, t, true); // b knows the agents from the database: no 404, no new registration
            assertThat(a.awaitComplete(t, java.time.Duration.ofSeconds(5)).get("services")).isNotEmpty();
            assertThat(b.trace(t).get("traceId").asText()).isEqualTo(t);
        }
    }

    @Test
    void twoCollectorsExpiringAtOnceDeleteEachTraceOnceAndCountItOnce() throws Exception {
        Database db = freshDatabase();
        long hour = 3_600_000;
        int traces = 5 * io.mintaro.collector.store.RetentionStore.CHUNK + 3;
        try (TestCollector a = TestCollector.start(one, x -> x.database(db).retentionMaxAgeMs(hour)
                     .retentionIntervalMs(hour));
             TestCollector b = TestCollector.start(two, x -> x.database(db).retentionMaxAgeMs(hour)
                     .retentionIntervalMs(hour))) {
            a.register(GroupsTest.PAYMENTS, "payments");
            for (int i = 0; i < traces; i++) {
                (i % 2 == 0 ? a : b).postBatch(RetentionTest.card(traceId(0x7200 + i), Records.T0_US + i));
            }
            try (java.sql.Connection c = a.connect(); java.sql.Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.executeUpdate("UPDATE traces SET created_at_ms = created_at_ms - " + 2 * hour);
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = pool.submit(() -> a.collector.expireNow());
                var second = pool.submit(() -> b.collector.expireNow());
                long expired = first.get().get(0).byAge().traces() + second.get().get(0).byAge().traces();
                assertThat(expired).as("each trace deleted by one of them").isEqualTo(traces);
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.getJson("/api/traces").get("total").asLong()).isZero();
            assertThat(b.getJson("/api/groups/" + GroupsTest.CARD).get("occurrences").asLong())
                    .as("counted once").isEqualTo(traces);
            assertThat(a.query("SELECT sum(expired) FROM group_counts")).containsExactly(String.valueOf(traces));
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
