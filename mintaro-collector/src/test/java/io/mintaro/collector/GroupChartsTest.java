package io.mintaro.collector;

import static io.mintaro.collector.GroupsTest.fingerprint;
import static io.mintaro.collector.GroupsTest.served;
import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.counted;
import static io.mintaro.collector.Records.occurrence;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts per time bucket for the UI's charts: each dashboard group's occurrences over the range
 * ({@code GET /api/groups?buckets=N}), a group's histogram ({@code /api/groups/{fp}/histogram}) and
 * the latency distribution of {@code /api/slow}.
 */
class GroupChartsTest {
    static final String PAYMENTS = GroupsTest.PAYMENTS;
    static final long MINUTE_US = 60_000_000L;
    static final long T0_MS = T0_US / 1000;
    static final String UNAVAILABLE = fingerprint("payments", "POST /payments", "HTTP 503");
    static final String BAD_GATEWAY = fingerprint("payments", "POST /payments", "HTTP 502");
    /** An hour from T0 in 6 buckets of 10 minutes. */
    static final String HOUR = "from=" + T0_MS + "&to=" + (T0_MS + 3_600_000);

    @TempDir
    static Path dir;
    static TestCollector c;

    @BeforeAll
    static void start() {
        c = TestCollector.start(dir);
        c.register(PAYMENTS, "payments");
        // 503s: 3 traces in the first 10 minutes, 1 in the fourth, 2 after the hour.
        long[] minutes = {0, 2, 9, 35, 61, 70};
        for (int i = 0; i < minutes.length; i++) {
            failed(0x900 + i, T0_US + minutes[i] * MINUTE_US, 503);
        }
        // 502s: 1 trace at minute 15, and 2 occurrences counted at minute 55 whose traces were not kept.
        failed(0x910, T0_US + 15 * MINUTE_US, 502);
        ObjectNode b = batch(PAYMENTS);
        ObjectNode e = counted(b, "error", "POST /payments", "HTTP 502");
        occurrence(e, traceId(0x911), T0_MS + 55 * 60_000 + 1);
        occurrence(e, traceId(0x912), T0_MS + 55 * 60_000 + 9);
        c.postBatch(b);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    static void failed(int n, long startUs, int status) {
        String t = traceId(n);
        ObjectNode b = served(PAYMENTS, t, 1, null, "POST /payments", startUs, 3_000, status);
        c.postBatch(trigger(b, t, "error", "HTTP " + status + " from POST /payments", startUs / 1000 + 3));
    }

    @Test
    void everyGroupOnTheDashboardCarriesItsOccurrencesPerBucket() throws Exception {
        JsonNode page = awaitCounted("/api/groups?buckets=6&" + HOUR);
        JsonNode bucketing = page.get("bucketing");
        assertThat(bucketing.get("from").asText()).isEqualTo(Instant.ofEpochMilli(T0_MS).toString());
        assertThat(bucketing.get("to").asText()).isEqualTo(Instant.ofEpochMilli(T0_MS + 3_600_000).toString());
        assertThat(bucketing.get("bucketMs").asLong()).isEqualTo(600_000);
        assertThat(bucketing.get("count").asInt()).isEqualTo(6);
        assertThat(buckets(group(page, UNAVAILABLE))).containsExactly(3L, 0L, 0L, 1L, 0L, 0L);
        // The counted occurrences fall in the bucket of their minute.
        assertThat(buckets(group(page, BAD_GATEWAY))).containsExactly(0L, 1L, 0L, 0L, 0L, 2L);
    }

    @Test
    void withoutAStartTheChartsBeginAtTheEarliestGroupOfThePage() throws Exception {
        long toMs = T0_MS + 80 * 60_000;
        JsonNode page = awaitCounted("/api/groups?buckets=8&to=" + toMs);
        assertThat(page.get("bucketing").get("from").asText()).isEqualTo(Instant.ofEpochMilli(T0_MS).toString());
        assertThat(page.get("bucketing").get("bucketMs").asLong()).isEqualTo(600_000);
        assertThat(buckets(group(page, UNAVAILABLE))).containsExactly(3L, 0L, 0L, 1L, 0L, 0L, 1L, 1L);
    }

    @Test
    void bucketsOfHoursCountTheirWholeHoursFromTheRollUpAndTheCutHoursTraceByTrace() throws Exception {
        // T0 is 40 minutes past an hour: two buckets of 2 hours from T0 − 30 min hold the whole hour
        // from T0 + 20 min (the traces of minutes 35, 61 and 70), and parts of three cut hours.
        long from = T0_MS - 30 * 60_000;
        long to = from + 4 * 3_600_000;
        JsonNode hours = awaitCounted("/api/groups?buckets=2&from=" + from + "&to=" + to);
        assertThat(hours.get("bucketing").get("bucketMs").asLong()).isEqualTo(7_200_000);
        assertThat(buckets(group(hours, UNAVAILABLE))).containsExactly(6L, 0L);
        assertThat(buckets(group(hours, BAD_GATEWAY))).containsExactly(3L, 0L);
        // The same range in minutes, counted from the traces alone, adds up to the same.
        JsonNode minutes = c.getJson("/api/groups?buckets=240&from=" + from + "&to=" + to);
        for (String fp : List.of(UNAVAILABLE, BAD_GATEWAY)) {
            List<Long> perMinute = buckets(group(minutes, fp));
            assertThat(List.of(perMinute.subList(0, 120).stream().mapToLong(Long::longValue).sum(),
                    perMinute.subList(120, 240).stream().mapToLong(Long::longValue).sum()))
                    .isEqualTo(buckets(group(hours, fp)));
        }
    }

    @Test
    void withoutBucketsTheGroupsHaveNone() {
        JsonNode page = c.getJson("/api/groups?" + HOUR);
        assertThat(page.has("bucketing")).isFalse();
        assertThat(group(page, UNAVAILABLE).has("buckets")).isFalse();
    }

    @Test
    void aGroupsHistogramCoversItsFirstAndLastOccurrenceByDefault() {
        JsonNode h = c.getJson("/api/groups/" + UNAVAILABLE + "/histogram?buckets=10");
        assertThat(h.get("firstSeenAt").asText()).isEqualTo(Instant.ofEpochMilli(T0_MS).toString());
        assertThat(h.get("lastSeenAt").asText()).isEqualTo(Instant.ofEpochMilli(T0_MS + 70 * 60_000).toString());
        long from = Instant.parse(h.get("from").asText()).toEpochMilli();
        long to = Instant.parse(h.get("to").asText()).toEpochMilli();
        assertThat(from).isLessThan(T0_MS);
        assertThat(to).isGreaterThan(T0_MS + 70 * 60_000);
        assertThat(h.get("buckets")).hasSize(10);
        assertThat(buckets(h).stream().mapToLong(Long::longValue).sum()).isEqualTo(6);
    }

    @Test
    void aGroupsHistogramOverAGivenRange() {
        JsonNode h = c.getJson("/api/groups/" + UNAVAILABLE + "/histogram?buckets=4&" + HOUR);
        assertThat(h.get("bucketMs").asLong()).isEqualTo(900_000);
        assertThat(buckets(h)).containsExactly(3L, 0L, 1L, 0L);
    }

    @Test
    void theSlowViewHasALatencyDistributionPerEndpoint() {
        JsonNode slow = c.getJson("/api/slow?from=" + T0_MS + "&to=" + (T0_MS + 7_200_000));
        List<Long> bounds = new ArrayList<>();
        slow.get("latencyBoundsMs").forEach(n -> bounds.add(n.asLong()));
        assertThat(bounds).containsExactly(1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1_000L, 2_000L, 5_000L,
                10_000L, 20_000L, 50_000L);
        JsonNode endpoint = slow.get("endpoints").get(0);
        // Seven requests of 3 ms each: all in [2 ms, 5 ms).
        List<Long> latency = new ArrayList<>();
        endpoint.get("latency").forEach(n -> latency.add(n.asLong()));
        assertThat(latency).hasSize(16);
        assertThat(latency.get(2)).isEqualTo(7);
        assertThat(latency.stream().mapToLong(Long::longValue).sum()).isEqualTo(endpoint.get("count").asLong());
    }

    @Test
    void badBucketParametersAre400() {
        String[][] cases = {
            {"/api/groups?buckets=0", "buckets"}, {"/api/groups?buckets=501", "buckets"},
            {"/api/groups?buckets=some", "buckets"}, {"/api/groups?buckets=5&from=" + T0_MS + "&to=" + T0_MS, "from"},
            {"/api/groups/" + UNAVAILABLE + "/histogram?buckets=0", "buckets"},
            {"/api/groups/" + UNAVAILABLE + "/histogram?from=yesterday", "from"},
            {"/api/groups/" + UNAVAILABLE + "/histogram?from=" + (T0_MS + 1) + "&to=" + T0_MS, "from"},
            {"/api/groups/nothex/histogram", "fingerprint"},
        };
        for (String[] bad : cases) {
            HttpResponse<String> r = c.get(bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).as(bad[0]).startsWith(bad[1] + " ");
        }
        assertThat(c.get("/api/groups/0123456789abcdef/histogram").statusCode()).isEqualTo(404);
    }

    /** The page once the counted occurrences have waited out their window. */
    static JsonNode awaitCounted(String path) throws Exception {
        c.collector.store().ingest().forgetCounted(System.currentTimeMillis() + 1000, 0);
        return c.getJson(path);
    }

    static JsonNode group(JsonNode page, String fingerprint) {
        for (JsonNode g : page.get("groups")) {
            if (g.get("fingerprint").asText().equals(fingerprint)) {
                return g;
            }
        }
        throw new AssertionError("no group " + fingerprint + " in " + page);
    }

    static List<Long> buckets(JsonNode n) {
        List<Long> out = new ArrayList<>();
        n.get("buckets").forEach(b -> out.add(b.asLong()));
        return out;
    }
}
