package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes are serialised; concurrent agents and readers see consistent traces. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void concurrentBatchesForOneTraceFromManyAgentsAreAllStored() throws Exception {
        try (TestCollector c = TestCollector.start(dir)) {
            String t = traceId(0x601);
            int agents = 20;
            int logsEach = 50;
            for (int a = 0; a < agents; a++) {
                c.register(String.format("d%015x", a), "svc-" + a);
            }
            ObjectNode first = batch(String.format("d%015x", 0));
            trigger(first, t, "error", "boom", 1);
            c.postBatch(first);

            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int a = 0; a < agents; a++) {
                ObjectNode b = batch(String.format("d%015x", a));
                ObjectNode e = entry(b, t, false);
                for (int i = 0; i < logsEach; i++) {
                    log(e, i, null, T0_US + i, "INFO", "line " + i);
                }
                posts.add(c.sendAsync(c.agentRequest("/agent/v1/batches",
                        b.toString().getBytes(StandardCharsets.UTF_8), Map.of())));
            }
            // Readers while writing.
            for (int i = 0; i < 20; i++) {
                assertThat(c.get("/api/traces/" + t).statusCode()).isEqualTo(200);
            }
            for (CompletableFuture<HttpResponse<String>> p : posts) {
                HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(TestCollector.json(r).get("accepted").asInt()).isEqualTo(logsEach);
            }
            assertThat(c.trace(t).get("logCount").asInt()).isEqualTo(agents * logsEach);
            assertThat(c.trace(t).get("services")).hasSize(agents);
        }
    }
}
