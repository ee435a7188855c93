package io.mintaro.collector;

import static io.mintaro.collector.ExportFixtures.CALLEE;
import static io.mintaro.collector.ExportFixtures.CLIENT;
import static io.mintaro.collector.ExportFixtures.ROOT;
import static io.mintaro.collector.ExportFixtures.await;
import static io.mintaro.collector.ExportFixtures.postTrace;
import static io.mintaro.collector.ExportFixtures.registerAgents;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integration test against a real Zipkin server: the {@code io.zipkin:zipkin-server} exec jar that
 * Maven copies into {@code target/zipkin} before the integration tests (in-memory storage, a free
 * loopback port). A trace exported by the collector must read back from Zipkin's own API with its
 * structure, services, endpoints, durations, tags and annotations.
 */
@Tag("integration")
class ZipkinExportIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Process zipkin;
    private static String zipkinUrl;

    @TempDir
    Path dir;

    @BeforeAll
    static void startZipkin() throws Exception {
        String jar = System.getProperty("zipkin.jar", "target/zipkin/zipkin-server.jar");
        assertThat(Path.of(jar)).as("zipkin-server exec jar (copied by maven-dependency-plugin)").exists();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path logFile = Path.of(jar).resolveSibling("zipkin-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-jar", jar, "--server.port=" + port,
                "--server.address=127.0.0.1");
        pb.environment().put("STORAGE_TYPE", "mem");
        pb.redirectErrorStream(true).redirectOutput(logFile.toFile());
        zipkin = pb.start();
        zipkinUrl = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            if (!zipkin.isAlive()) {
                throw new AssertionError("zipkin exited: " + Files.readString(logFile));
            }
            try {
                if (get("/health").statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("zipkin did not start in 180 s: " + Files.readString(logFile));
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopZipkin() throws InterruptedException {
        if (zipkin != null) {
            zipkin.destroy();
            if (!zipkin.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                zipkin.destroyForcibly();
            }
        }
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(zipkinUrl + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anExportedTraceReadsBackFromZipkinWithItsStructureServicesAndDurations() throws Exception {
        String failed = "4bf92f3577b34da6a3ce929d0e0e4736";
        String fine = "4bf92f3577b34da6a3ce929d0e0e4737";
        // Configured as an operator would: the variable, through the ServiceLoader provider.
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_ZIPKIN", zipkinUrl)
                .exportSetting("MINTARO_EXPORT_ZIPKIN_FILTER", "status:error"))) {
            registerAgents(c);
            postTrace(c, fine, false);
            postTrace(c, failed, true);
            await("exported", 30, () -> c.getJson("/api/health").at("/export/zipkin/exported").asLong() == 1);
            assertThat(c.getJson("/api/health").at("/export/zipkin/filteredOut").asLong()).isEqualTo(1);
        }

        HttpResponse<String> r = get("/api/v2/trace/" + failed);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> spans = new HashMap<>();
        for (JsonNode s : TestCollector.JSON.readTree(r.body())) {
            assertThat(s.get("traceId").asText()).isEqualTo(failed);
            spans.put(s.get("id").asText(), s);
        }
        assertThat(spans).containsOnlyKeys(ROOT, CLIENT, CALLEE);

        JsonNode root = spans.get(ROOT);
        assertThat(root.has("parentId")).isFalse();
        assertThat(root.get("kind").asText()).isEqualTo("SERVER");
        assertThat(root.get("name").asText()).isEqualTo("post /orders");
        assertThat(root.at("/localEndpoint/serviceName").asText()).isEqualTo("orders");
        assertThat(root.get("duration").asLong()).isEqualTo(100_000);
        assertThat(root.at("/annotations/0/value").asText()).isEqualTo("INFO io.mintaro.demo.Payments: placing order");
        // A span event is an annotation at its own time.
        assertThat(root.at("/annotations/1/value").asText()).isEqualTo("order placed");
        assertThat(root.at("/annotations/1/timestamp").asLong() - root.get("timestamp").asLong()).isEqualTo(95_000);
        assertThat(root.get("annotations")).hasSize(2);

        JsonNode client = spans.get(CLIENT);
        assertThat(client.get("parentId").asText()).isEqualTo(ROOT);
        assertThat(client.get("kind").asText()).isEqualTo("CLIENT");
        assertThat(client.at("/localEndpoint/serviceName").asText()).isEqualTo("orders");
        assertThat(client.at("/remoteEndpoint/serviceName").asText()).isEqualTo("payments");
        assertThat(client.at("/remoteEndpoint/ipv4").asText()).isEqualTo("127.0.0.1");
        assertThat(client.at("/remoteEndpoint/port").asInt()).isEqualTo(8083);
        assertThat(client.get("duration").asLong()).isEqualTo(60_000);
        assertThat(client.at("/tags/http.method").asText()).isEqualTo("POST");
        assertThat(client.at("/tags/http.status_code").asText()).isEqualTo("500");
        assertThat(client.at("/tags/http.path").asText()).isEqualTo("/payments");

        JsonNode callee = spans.get(CALLEE);
        assertThat(callee.get("parentId").asText()).isEqualTo(CLIENT);
        assertThat(callee.get("kind").asText()).isEqualTo("SERVER");
        assertThat(callee.at("/localEndpoint/serviceName").asText()).isEqualTo("payments");
        assertThat(callee.get("duration").asLong()).isEqualTo(50_000);
        assertThat(callee.get("timestamp").asLong() - root.get("timestamp").asLong()).isEqualTo(20_000);
        assertThat(callee.at("/tags/error").asText()).isEqualTo("card declined");
        assertThat(callee.at("/tags/exception.type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(callee.at("/tags/http.route").asText()).isEqualTo("/x");
        assertThat(callee.at("/tags/http.status_code").asText()).isEqualTo("500");
        // The event's attributes follow its name as key=value pairs; events and log lines in time order.
        assertThat(callee.at("/annotations/0/value").asText()).isEqualTo("card check card.brand=visa attempt=2");
        assertThat(callee.at("/annotations/0/timestamp").asLong() - root.get("timestamp").asLong()).isEqualTo(30_000);
        assertThat(callee.at("/annotations/1/value").asText())
                .isEqualTo("ERROR io.mintaro.demo.Payments: charging failed "
                        + "(java.lang.IllegalStateException: card declined)");
        assertThat(callee.get("annotations")).hasSize(2);

        assertThat(TestCollector.JSON.readTree(get("/api/v2/services").body()))
                .extracting(JsonNode::asText).contains("orders", "payments");
        // The filter kept the fine trace out of Zipkin.
        assertThat(get("/api/v2/trace/" + fine).statusCode()).isEqualTo(404);
    }

    @Test
    void aLateSpanReachesZipkinInTheSameTraceWhichZipkinMerges() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4740";
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_ZIPKIN", zipkinUrl))) {
            registerAgents(c);
            postTrace(c, trace, true);
            await("exported", 30, () -> c.getJson("/api/health").at("/export/zipkin/exported").asLong() == 1);
            await("in zipkin", 30, () -> spanCount(trace) == 3);
            assertThat(ExportFixtures.postLateSpan(c, trace)).isEqualTo(1);
            await("exported again", 30, () -> c.getJson("/api/health").at("/export/zipkin/exported").asLong() == 2);
        }
        await("late span in zipkin", 30, () -> spanCount(trace) == 4);
        JsonNode spans = TestCollector.JSON.readTree(get("/api/v2/trace/" + trace).body());
        Map<String, JsonNode> byId = new HashMap<>();
        spans.forEach(s -> byId.put(s.get("id").asText(), s));
        // The whole trace was sent twice; Zipkin shows each span once, with its annotations once.
        assertThat(spans).hasSize(4);
        assertThat(byId).containsOnlyKeys(ROOT, CLIENT, CALLEE, ExportFixtures.LATE);
        JsonNode late = byId.get(ExportFixtures.LATE);
        assertThat(late.get("name").asText()).isEqualTo("audit order");
        assertThat(late.get("parentId").asText()).isEqualTo(ROOT);
        assertThat(late.has("kind")).isFalse();
        assertThat(late.get("duration").asLong()).isEqualTo(20_000);
        assertThat(byId.get(ROOT).get("annotations")).hasSize(2);
        assertThat(byId.get(CALLEE).get("annotations")).hasSize(2);
    }

    /** Spans Zipkin has of the trace; 0 while it has none. */
    static int spanCount(String traceId) {
        try {
            HttpResponse<String> r = get("/api/v2/trace/" + traceId);
            return r.statusCode() == 200 ? TestCollector.JSON.readTree(r.body()).size() : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
