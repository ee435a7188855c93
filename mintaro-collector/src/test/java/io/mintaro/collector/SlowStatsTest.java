package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/slow}: count, p50, p95 and max of finished spans per endpoint (server spans) and
 * per span, slowest p95 first. Percentiles are nearest-rank: of n sorted durations, the
 * ⌈p·n/100⌉-th.
 */
class SlowStatsTest {
    static final String FRONTEND = "f000000000000001";
    static final String ORDERS = "a000000000000001";
    static final String PAYMENTS = "b000000000000001";
    static final long MS = 1000;
    static final long T0_MS = T0_US / 1000;
    static final String RANGE = "from=" + T0_MS + "&to=" + (T0_MS + 3_600_000);

    @TempDir
    static Path dir;
    static TestCollector c;

    @BeforeAll
    static void start() {
        c = TestCollector.start(dir);
        c.register(FRONTEND, "frontend");
        c.register(ORDERS, "orders");
        c.register(PAYMENTS, "payments");
        String t = traceId(0x801);
        // payments served POST /payments 20 times, taking 1, 2, ... 20 ms (in shuffled order),
        // and once more without finishing.
        ObjectNode payments = batch(PAYMENTS);
        trigger(payments, t, "slow", "slow", T0_MS);
        ObjectNode p = entry(payments, t, false);
        int[] order = {7, 3, 20, 1, 15, 9, 12, 2, 18, 5, 11, 16, 4, 19, 8, 14, 6, 13, 10, 17};
        for (int i = 0; i < order.length; i++) {
            long start = T0_US + i * 10_000 * MS;
            span(p, spanId(100 + i), null, "POST /payments", "succeeded", start, start + order[i] * MS);
        }
        span(p, spanId(199), null, "POST /payments", "started", T0_US, null);
        c.postBatch(payments);

        // orders: POST /orders twice (30 and 40 ms), compute-invoice five times (3, 3, 9, 10, 4 ms).
        ObjectNode orders = batch(ORDERS);
        ObjectNode o = entry(orders, t, false);
        span(o, spanId(200), null, "POST /orders", "succeeded", T0_US, T0_US + 30 * MS);
        span(o, spanId(201), null, "POST /orders", "failed", T0_US + 60_000 * MS, T0_US + 60_040 * MS);
        long[] invoice = {3, 3, 9, 10, 4};
        for (int i = 0; i < invoice.length; i++) {
            span(o, spanId(210 + i), spanId(200), "compute-invoice", "succeeded", T0_US + i * MS,
                    T0_US + (i + invoice[i]) * MS).put("kind", "internal");
        }
        // Before the range.
        span(o, spanId(220), null, "POST /orders", "succeeded", T0_US - 3_600_000_000L,
                T0_US - 3_600_000_000L + 900_000 * MS);
        c.postBatch(orders);

        // frontend: one client call of 50 ms; a client span is not an endpoint.
        ObjectNode frontend = batch(FRONTEND);
        span(entry(frontend, t, false), spanId(300), null, "POST /orders", "succeeded", T0_US, T0_US + 50 * MS)
                .put("kind", "client");
        c.postBatch(frontend);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void endpointsAreServerSpansWithCountAndNearestRankPercentiles() {
        JsonNode endpoints = c.getJson("/api/slow?" + RANGE).get("endpoints");
        assertThat(endpoints).hasSize(2);
        JsonNode orders = endpoints.get(0);
        assertThat(orders.get("service").asText()).isEqualTo("orders");
        assertThat(orders.get("name").asText()).isEqualTo("POST /orders");
        assertThat(orders.has("kind")).isFalse();
        assertThat(orders.get("count").asLong()).isEqualTo(2);
        assertThat(orders.get("p50Ms").asDouble()).isEqualTo(30.0);
        assertThat(orders.get("p95Ms").asDouble()).isEqualTo(40.0);
        assertThat(orders.get("maxMs").asDouble()).isEqualTo(40.0);

        // 1..20 ms: p50 is the 10th value, p95 the 19th; the unfinished span does not count.
        JsonNode payments = endpoints.get(1);
        assertThat(payments.get("service").asText()).isEqualTo("payments");
        assertThat(payments.get("name").asText()).isEqualTo("POST /payments");
        assertThat(payments.get("count").asLong()).isEqualTo(20);
        assertThat(payments.get("p50Ms").asDouble()).isEqualTo(10.0);
        assertThat(payments.get("p95Ms").asDouble()).isEqualTo(19.0);
        assertThat(payments.get("maxMs").asDouble()).isEqualTo(20.0);
    }

    @Test
    void spansAreAllKindsSlowestP95First() {
        JsonNode spans = c.getJson("/api/slow?" + RANGE).get("spans");
        assertThat(spans).extracting(s -> s.get("service").asText() + " " + s.get("kind").asText() + " "
                + s.get("name").asText()).containsExactly(
                        "frontend client POST /orders",
                        "orders server POST /orders",
                        "payments server POST /payments",
                        "orders internal compute-invoice");
        // 3, 3, 4, 9, 10 ms: p50 is the 3rd value, p95 the 5th.
        JsonNode invoice = spans.get(3);
        assertThat(invoice.get("count").asLong()).isEqualTo(5);
        assertThat(invoice.get("p50Ms").asDouble()).isEqualTo(4.0);
        assertThat(invoice.get("p95Ms").asDouble()).isEqualTo(10.0);
        assertThat(invoice.get("maxMs").asDouble()).isEqualTo(10.0);
    }

    @Test
    void theRangeIsOnSpanStart() {
        JsonNode wider = c.getJson("/api/slow?from=" + (T0_MS - 7_200_000) + "&to=" + (T0_MS + 3_600_000));
        JsonNode orders = wider.get("endpoints").get(0);
        assertThat(orders.get("name").asText()).isEqualTo("POST /orders");
        assertThat(orders.get("count").asLong()).isEqualTo(3);
        assertThat(orders.get("maxMs").asDouble()).isEqualTo(900_000.0);
        // The second POST /orders starts a minute after T0.
        JsonNode first = c.getJson("/api/slow?from=" + T0_MS + "&to=" + (T0_MS + 59_000));
        assertThat(first.get("endpoints").get(0).get("count").asLong()).isEqualTo(1);
    }

    @Test
    void byDefaultTheLast24Hours() {
        // Everything above happened long before now.
        JsonNode stats = c.getJson("/api/slow");
        assertThat(stats.get("endpoints")).isEmpty();
        assertThat(stats.get("spans")).isEmpty();

        String recent = traceId(0x802);
        long nowUs = System.currentTimeMillis() * MS;
        ObjectNode b = batch(ORDERS);
        trigger(b, recent, "slow", "slow", nowUs / MS);
        ObjectNode e = entry(b, recent, false);
        span(e, spanId(400), null, "GET /recent", "succeeded", nowUs - 3_600_000 * MS, nowUs - 3_599_000 * MS);
        span(e, spanId(401), null, "GET /yesterday", "succeeded", nowUs - 25 * 3_600_000 * MS,
                nowUs - 25 * 3_600_000 * MS + 5 * MS);
        c.postBatch(b);
        assertThat(c.getJson("/api/slow").get("endpoints")).extracting(s -> s.get("name").asText())
                .containsExactly("GET /recent");
    }

    @Test
    void serviceAndLimitNarrowBothLists() {
        JsonNode payments = c.getJson("/api/slow?service=payments&" + RANGE);
        assertThat(payments.get("endpoints")).extracting(s -> s.get("name").asText()).containsExactly("POST /payments");
        assertThat(payments.get("spans")).extracting(s -> s.get("service").asText()).containsExactly("payments");

        JsonNode one = c.getJson("/api/slow?limit=1&" + RANGE);
        assertThat(one.get("endpoints")).extracting(s -> s.get("name").asText()).containsExactly("POST /orders");
        assertThat(one.get("spans")).extracting(s -> s.get("kind").asText()).containsExactly("client");
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        String[][] cases = {
            {"?limit=0", "limit"}, {"?limit=201", "limit"}, {"?limit=many", "limit"}, {"?from=last+week", "from"},
            {"?to=2025-11-21", "to"}, {"?service=" + "s".repeat(101), "service"}, {"?limit=1&limit=2", "limit"},
        };
        for (String[] bad : cases) {
            HttpResponse<String> r = c.get("/api/slow" + bad[0]);
            assertThat(r.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).as(bad[0]).startsWith(bad[1] + " ");
        }
    }
}
