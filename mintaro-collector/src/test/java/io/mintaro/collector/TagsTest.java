package io.mintaro.collector;

import static io.mintaro.collector.GroupsTest.PAYMENTS;
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
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tags (decision 38): a trace's scalar span attributes and its agents' service and version are
 * tags, and {@code tag=key:value} (repeatable, all required) selects traces and error groups.
 */
class TagsTest {
    static final String CHECKOUT = "c0c0c0c0c0c0c0c0";

    @TempDir
    Path dir;
    TestCollector c;

    @BeforeEach
    void start() {
        c = TestCollector.start(dir);
        c.register(PAYMENTS, "payments");
        ObjectNode body = TestCollector.JSON.createObjectNode().put("agentId", CHECKOUT).put("service", "checkout")
                .put("version", "1.4.2").put("host", "box-2").put("pid", 4343).put("sdk", "0.1.0");
        body.putArray("authorities");
        assertThat(c.agentPost("/agent/v1/register", body).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    /** A triggered trace of one failed span of {@code agentId} with {@code attributes} (key, value pairs). */
    private String post(int n, String agentId, Object... attributes) {
        String id = traceId(0x7a00 + n);
        ObjectNode b = batch(agentId);
        ObjectNode s = span(entry(b, id, false), spanId(1), null, "POST /pay", "failed", T0_US + n * 1000L,
                T0_US + n * 1000L + 500);
        s.putObject("error").put("type", "HTTP 500").put("message", "boom").putNull("stack");
        ObjectNode attrs = s.putObject("attributes");
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            Object v = attributes[i + 1];
            if (v instanceof Integer number) {
                attrs.put((String) attributes[i], number);
            } else {
                attrs.put((String) attributes[i], (String) v);
            }
        }
        trigger(b, id, "error", "HTTP 500", T0_US / 1000);
        c.postBatch(b);
        return id;
    }

    private List<String> traces(String query) {
        HttpResponse<String> r = c.get("/api/traces?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        TestCollector.json(r).get("traces").forEach(t -> ids.add(t.get("traceId").asText()));
        return ids;
    }

    private static String tag(String keyValue) {
        return "tag=" + URLEncoder.encode(keyValue, StandardCharsets.UTF_8);
    }

    @Test
    void oneTagSelectsTheTracesWithIt() {
        String prod = post(1, PAYMENTS, "env", "prod", "user.id", 42);
        String staging = post(2, PAYMENTS, "env", "staging", "user.id", 42);
        post(3, PAYMENTS);

        assertThat(traces(tag("env:prod"))).containsExactly(prod);
        assertThat(traces(tag("env:staging"))).containsExactly(staging);
        assertThat(traces(tag("user.id:42"))).as("a number attribute, as its text").containsExactly(staging, prod);
        assertThat(traces(tag("env:dev"))).isEmpty();
        assertThat(c.getJson("/api/traces?" + tag("env:prod")).get("total").asLong()).isEqualTo(1);
    }

    @Test
    void aTagsPagesAndTotalHoldAllItsTracesNewestFirstAndWithinATimeRange() {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            ids.add(post(n, PAYMENTS, "env", n <= 4 ? "prod" : "staging"));
        }
        long t0Ms = T0_US / 1000;

        assertThat(traces("limit=2&page=1&" + tag("env:prod"))).containsExactly(ids.get(3), ids.get(2));
        assertThat(traces("limit=2&page=2&" + tag("env:prod"))).containsExactly(ids.get(1), ids.get(0));
        assertThat(traces("limit=2&page=3&" + tag("env:prod"))).isEmpty();
        assertThat(traces("from=" + (t0Ms + 2) + "&to=" + (t0Ms + 4) + "&" + tag("env:prod")))
                .containsExactly(ids.get(2), ids.get(1));

        JsonNode page = c.getJson("/api/traces?limit=1&" + tag("env:prod"));
        assertThat(page.get("traces")).hasSize(1);
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(c.getJson("/api/traces?limit=1&" + tag("service:payments")).get("total").asLong()).isEqualTo(5);
        assertThat(c.getJson("/api/traces?limit=1&from=" + (t0Ms + 2) + "&to=" + (t0Ms + 4) + "&" + tag("env:prod"))
                .get("total").asLong()).as("started in [2, 4) ms").isEqualTo(2);
        assertThat(c.getJson("/api/traces?limit=1&status=ok&" + tag("env:prod")).get("total").asLong()).isZero();
    }

    @Test
    void severalTagsMustAllMatch() {
        String both = post(1, PAYMENTS, "env", "prod", "region", "eu");
        post(2, PAYMENTS, "env", "prod", "region", "us");
        post(3, PAYMENTS, "env", "staging", "region", "eu");

        assertThat(traces(tag("env:prod") + "&" + tag("region:eu"))).containsExactly(both);
        assertThat(traces(tag("env:prod") + "&" + tag("region:eu") + "&status=error")).containsExactly(both);
        assertThat(traces(tag("env:prod") + "&" + tag("region:eu") + "&status=ok")).isEmpty();
    }

    @Test
    void theAgentsServiceAndVersionAreTags() {
        String payments = post(1, PAYMENTS);
        String checkout = post(2, CHECKOUT);

        assertThat(traces(tag("service:payments"))).containsExactly(payments);
        assertThat(traces(tag("service:checkout"))).containsExactly(checkout);
        assertThat(traces(tag("version:1.4.2"))).containsExactly(checkout);
        JsonNode tags = c.trace(checkout).get("tags");
        assertThat(tags).extracting(t -> t.get("key").asText() + "=" + t.get("value").asText())
                .containsExactly("service=checkout", "version=1.4.2");
    }

    @Test
    void aTraceKeepsAtMost256TagsAndValuesLongerThan200CharactersAreNotIndexed() {
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add("k" + i);
            many.add("v");
        }
        String crowded = post(1, PAYMENTS, many.toArray());
        ObjectNode more = batch(PAYMENTS);
        ObjectNode attrs = span(entry(more, crowded, false), spanId(2), spanId(1), "SELECT", "succeeded",
                T0_US + 1100, T0_US + 1200).putObject("attributes");
        for (int i = 200; i < 300; i++) {
            attrs.put("k" + i, "v");
        }
        c.postBatch(more);
        String longValue = post(2, PAYMENTS, "note", "x".repeat(201), "short", "x".repeat(200),
                "k".repeat(129), "v");

        assertThat(c.trace(crowded).get("tags")).hasSize(256);
        assertThat(traces(tag("service:payments"))).as("service and version come first").contains(crowded);
        assertThat(traces(tag("short:" + "x".repeat(200)))).containsExactly(longValue);
        assertThat(c.trace(longValue).get("tags")).extracting(t -> t.get("key").asText())
                .containsExactly("service", "short");
    }

    @Test
    void aLaterBatchAddsItsTagsToTheTrace() {
        String id = post(1, PAYMENTS, "env", "prod");
        ObjectNode late = batch(PAYMENTS);
        span(entry(late, id, false), spanId(2), spanId(1), "SELECT", "succeeded", T0_US + 1100, T0_US + 1200)
                .putObject("attributes").put("db.system", "postgresql").put("env", "prod");
        c.postBatch(late);

        assertThat(traces(tag("db.system:postgresql") + "&" + tag("env:prod"))).containsExactly(id);
        assertThat(c.trace(id).get("tags")).extracting(t -> t.get("key").asText())
                .containsExactly("db.system", "env", "service");
    }

    @Test
    void groupsAndAGroupsTracesAreFilteredByTag() {
        String prod = post(1, PAYMENTS, "env", "prod");
        post(2, PAYMENTS, "env", "staging");
        JsonNode groups = c.getJson("/api/groups?" + tag("env:prod")).get("groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("count").asLong()).isEqualTo(1);
        assertThat(c.getJson("/api/groups?" + tag("env:dev")).get("groups")).isEmpty();
        String fp = groups.get(0).get("fingerprint").asText();
        assertThat(c.getJson("/api/groups/" + fp + "/traces").get("traces")).hasSize(2);
        assertThat(c.getJson("/api/groups/" + fp + "/traces?" + tag("env:prod")).get("traces"))
                .extracting(t -> t.get("traceId").asText()).containsExactly(prod);
    }

    @Test
    void badTagFiltersAreRefusedWithAClearError() {
        for (String bad : List.of("env", "env:", ":prod", "k".repeat(129) + ":v")) {
            HttpResponse<String> r = c.get("/api/traces?" + tag(bad));
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.body()).contains("tag");
        }
        StringBuilder eleven = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            eleven.append('&').append(tag("k" + i + ":v"));
        }
        for (String path : List.of("/api/traces?", "/api/groups?")) {
            HttpResponse<String> r = c.get(path + eleven.substring(1));
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("at most 10 tag filters");
        }
        assertThat(c.get("/api/traces?" + tag("url:http://x:1/a")).statusCode()).as("split at the first colon")
                .isEqualTo(200);
    }
}
