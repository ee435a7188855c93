package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timing report, not a timing assertion: 10,000 demo-like traces (about 70,000 spans), then how
 * long the UI's heaviest requests take through HTTP on loopback. The numbers are printed; the test
 * only checks that the answers are complete.
 */
class TimingReportTest {
    static final int TRACES = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandTraces() throws Exception {
        long fillStarted = System.nanoTime();
        DemoTraces.fill(dir.resolve("mintaro.db"), TRACES, 20);
        long fillMs = (System.nanoTime() - fillStarted) / 1_000_000;
        try (TestCollector c = TestCollector.start(dir)) {
            JsonNode groups = TestCollector.json(c.get("/api/groups?silenced=show"));
            assertThat(groups.get("groups").size()).isEqualTo(9);
            long grouped = 0;
            for (JsonNode g : groups.get("groups")) {
                grouped += g.get("count").asLong();
            }
            assertThat(grouped).isEqualTo(TRACES);
            String fingerprint = groups.get("groups").get(0).get("fingerprint").asText();
            assertThat(TestCollector.json(c.get("/api/traces?page=100")).get("traces")).hasSize(50);
            assertThat(TestCollector.json(c.get("/api/slow")).get("spans").size()).isPositive();

            Map<String, String> requests = new LinkedHashMap<>();
            requests.put("groups", "/api/groups");
            requests.put("groups (status=error, service=payments)", "/api/groups?status=error&service=payments");
            requests.put("groups (last 2 hours)", "/api/groups?from=" + (System.currentTimeMillis() - 7_200_000));
            requests.put("group's traces, page 5", "/api/groups/" + fingerprint + "/traces?page=5");
            requests.put("traces, page 1", "/api/traces");
            requests.put("traces, page 100", "/api/traces?page=100");
            requests.put("traces, status=error, page 50", "/api/traces?status=error&page=50");
            requests.put("slow", "/api/slow");
            requests.put("slow (service=payments)", "/api/slow?service=payments");
            StringBuilder report = new StringBuilder("\n10,000 traces stored in " + fillMs + " ms; request times"
                    + " (median and worst of 7, after 3 warm-ups):\n");
            for (Map.Entry<String, String> r : requests.entrySet()) {
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    long t = System.nanoTime();
                    HttpResponse<String> answer = c.get(r.getValue());
                    double took = (System.nanoTime() - t) / 1e6;
                    assertThat(answer.statusCode()).as(r.getValue()).isEqualTo(200);
                    if (i >= 3) {
                        ms.add(took);
                    }
                }
                Collections.sort(ms);
                report.append(String.format("  %-42s %6.1f ms  (worst %6.1f ms)  %s%n", r.getKey(), ms.get(3),
                        ms.get(ms.size() - 1), r.getValue()));
            }
            System.out.println(report);
        }
    }
}
