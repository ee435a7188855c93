package io.mintaro.collector;

import static io.mintaro.collector.ExportFixtures.await;
import static io.mintaro.collector.ExportFixtures.postTrace;
import static io.mintaro.collector.ExportFixtures.registerAgents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statsd export, received on a real UDP socket as a statsd daemon would. */
class StatsdExportTest {
    @TempDir
    Path dir;
    DatagramSocket socket;
    final List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader;

    @BeforeEach
    void listen() throws Exception {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(100);
        reader = new Thread(() -> {
            byte[] buf = new byte[65_536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    for (String line : new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            lines.add(line);
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // Look again.
                } catch (java.io.IOException e) {
                    return;
                }
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    @AfterEach
    void close() throws InterruptedException {
        socket.close();
        reader.join(2_000);
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    @Test
    void spanDurationsAreTimersAndSpansTracesAndLogsAreCounted() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String group;
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_STATSD", address())
                .exportSetting("MINTARO_EXPORT_STATSD_FLAVOR", "datadog"))) {
            registerAgents(c);
            postTrace(c, trace, true);
            group = c.getJson("/api/groups").at("/groups/0/fingerprint").asText();
            assertThat(group).hasSize(16);
            await("statsd lines", 10, () -> lines.stream().filter(l -> l.startsWith("mintaro.")).count() >= 11);
        }
        assertThat(lines).contains(
                "mintaro.span.duration:100|ms|#kind:server,service:orders,span:POST /orders,status:succeeded",
                "mintaro.span.duration:60|ms|#kind:client,service:orders,span:POST,status:succeeded",
                "mintaro.span.duration:50|ms|#kind:server,service:payments,span:POST /payments,status:failed",
                // Micrometer tags its counters with statistic:count.
                "mintaro.spans:1|c|#statistic:count,kind:server,service:orders,status:succeeded",
                "mintaro.spans:1|c|#statistic:count,kind:client,service:orders,status:succeeded",
                "mintaro.spans:1|c|#statistic:count,kind:server,service:payments,status:failed",
                "mintaro.logs:1|c|#statistic:count,level:INFO,service:orders",
                "mintaro.logs:1|c|#statistic:count,level:ERROR,service:payments",
                "mintaro.traces:1|c|#statistic:count,group:" + group + ",status:error",
                // Span events: each one counts, by service, span name and event name.
                "mintaro.events:1|c|#statistic:count,event:card check,service:payments,span:POST /payments",
                "mintaro.events:1|c|#statistic:count,event:order placed,service:orders,span:POST /orders");
    }

    @Test
    void everySpanEventCountsOnceUnderItsSpanAndName() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4738";
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_STATSD", address())
                .exportSetting("MINTARO_EXPORT_STATSD_FLAVOR", "datadog"))) {
            c.register(ExportFixtures.ORDERS, "orders");
            com.fasterxml.jackson.databind.node.ObjectNode b = Records.batch(ExportFixtures.ORDERS);
            Records.trigger(b, trace, "manual", "look", Records.T0_US / 1000);
            com.fasterxml.jackson.databind.node.ObjectNode span = Records.span(Records.entry(b, trace, false),
                    Records.spanId(1), null, "GET /users/42", "succeeded", Records.T0_US, Records.T0_US + 9_000);
            Records.event(span, Records.T0_US + 1_000, "cache miss", "cache.key", "user:42");
            Records.event(span, Records.T0_US + 2_000, "cache miss", "cache.key", "user:43");
            Records.event(span, Records.T0_US + 3_000, "retry");
            c.postBatch(b);
            await("event lines", 10, () -> lines.stream().filter(l -> l.startsWith("mintaro.events")).count() >= 3);
            Thread.sleep(1_500); // one more flush: nothing else may come
        }
        // Event attributes are not tags (their values, like cache keys, would be a metric each).
        assertThat(lines.stream().filter(l -> l.startsWith("mintaro.events"))).containsExactlyInAnyOrder(
                "mintaro.events:1|c|#statistic:count,event:cache miss,service:orders,span:GET /users/42",
                "mintaro.events:1|c|#statistic:count,event:cache miss,service:orders,span:GET /users/42",
                "mintaro.events:1|c|#statistic:count,event:retry,service:orders,span:GET /users/42");
    }

    @Test
    void aTraceIsCountedOnceLateRecordsDoNotExportItAgain() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4739";
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_STATSD", address())
                .exportSetting("MINTARO_EXPORT_STATSD_FLAVOR", "datadog"))) {
            registerAgents(c);
            postTrace(c, trace, true);
            await("statsd lines", 10, () -> lines.stream().filter(l -> l.startsWith("mintaro.traces")).count() == 1);
            assertThat(ExportFixtures.postLateSpan(c, trace)).isEqualTo(1);
            assertThat(c.trace(trace).get("spans")).hasSize(4);
            Thread.sleep(1_500); // past the registry's 1 s flush
            assertThat(c.getJson("/api/health").at("/export/statsd/exported").asLong()).isEqualTo(1);
        }
        assertThat(lines.stream().filter(l -> l.startsWith("mintaro.traces"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.startsWith("mintaro.spans"))).hasSize(3);
        assertThat(lines).noneMatch(l -> l.contains("audit order"));
    }

    /** The queue survives restarts: what was waiting goes out the moment the exporter starts. */
    @Test
    void aBacklogExportedRightAtStartIsNotLost() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4741";
        ExportFixtures.RecordingExporter down = new ExportFixtures.RecordingExporter("statsd");
        down.failWith = new io.mintaro.collector.export.ExportException("down", true);
        try (TestCollector c = TestCollector.start(dir, b -> b.exporter(down, io.mintaro.collector.export.ExportFilter.ALL)
                .exportBackoffMs(60_000))) {
            registerAgents(c);
            postTrace(c, trace, true);
            await("first attempt", 5, () -> down.attempts.get() == 1);
        }
        try (java.sql.Connection db = TestDatabase.connect(TestDatabase.forDirectory(dir));
             java.sql.Statement st = db.createStatement()) {
            st.execute("UPDATE export_queue SET next_attempt_at_ms = 0");
        }
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_STATSD", address())
                .exportSetting("MINTARO_EXPORT_STATSD_FLAVOR", "datadog"))) {
            await("statsd lines", 10, () -> lines.stream().anyMatch(l -> l.startsWith("mintaro.traces")));
            await("every line of the trace", 5, () -> lines.stream().filter(l -> l.startsWith("mintaro.")).count() == 11);
        }
    }

    @Test
    void thePlainStatsdFlavourFoldsTagsIntoTheName() throws Exception {
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_STATSD", address()))) {
            registerAgents(c);
            postTrace(c, "4bf92f3577b34da6a3ce929d0e0e4737", true);
            await("statsd lines", 10, () -> lines.size() >= 9);
        }
        // Micrometer's hierarchical names: camel case, then each tag as .key.value.
        assertThat(lines).contains("mintaroSpans.kind.server.service.payments.statistic.count.status.failed:1|c",
                "mintaroSpanDuration.kind.server.service.payments.span.POST_/payments.status.failed:50|ms",
                "mintaroLogs.level.ERROR.service.payments.statistic.count:1|c");
    }

    @Test
    void aBadAddressIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_STATSD", "localhost")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_EXPORT_STATSD must be host:port");
        assertThatThrownBy(() -> TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_STATSD", address())
                .exportSetting("MINTARO_EXPORT_STATSD_FLAVOR", "graphite")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_EXPORT_STATSD_FLAVOR");
    }
}
