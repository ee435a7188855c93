package io.mintaro.collector;

import static io.mintaro.collector.Records.T0_US;
import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.counted;
import static io.mintaro.collector.Records.entry;
import static io.mintaro.collector.Records.event;
import static io.mintaro.collector.Records.log;
import static io.mintaro.collector.Records.message;
import static io.mintaro.collector.Records.more;
import static io.mintaro.collector.Records.occurrence;
import static io.mintaro.collector.Records.span;
import static io.mintaro.collector.Records.spanId;
import static io.mintaro.collector.Records.traceId;
import static io.mintaro.collector.Records.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Protocol v1 as an agent sees it: registration, polls, batches, and every way to get them wrong. */
class AgentProtocolTest {
    static final String AGENT = "3f2a9c0d11b4e7a1";

    @TempDir
    static Path dir;
    static TestCollector c;

    @BeforeAll
    static void start() {
        c = TestCollector.start(dir);
        c.register(AGENT, "orders", "127.0.0.1:8082");
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void registerAnswersTheAgentIdAndTheTimingsTheAgentMustUse() {
        HttpResponse<String> r = c.agentPost("/agent/v1/register", """
                {"agentId": "00000000000000aa", "service": "orders", "host": "box-1", "pid": 4242,
                 "sdk": "0.1.0", "authorities": ["127.0.0.1:8082"]}""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = TestCollector.json(r);
        assertThat(body.get("agentId").asText()).isEqualTo("00000000000000aa");
        assertThat(body.get("pollTimeoutMs").asLong()).isEqualTo(1_000);
        assertThat(body.get("lateWindowMs").asLong()).isEqualTo(2_000);
    }

    /**
     * Found by CollectorHttpFuzzTest (aHostileBatchIsRefusedWithA4xxNeverA5xx) in the PostgreSQL run (a span
     * name with U+0000 in it): PostgreSQL refused the text and the batch was answered with a 500.
     * U+0000 is stored as U+FFFD on either store.
     */
    @Test
    void aBatchWithNulCharactersIsStored() {
        String traceId = "00000000000000000000000000abd000";
        ObjectNode b = ProtocolParserFuzzTest.validBatch(AGENT, traceId);
        ObjectNode span = (ObjectNode)
                b.get("traces").get(0).get("spans").get(0);
        span.put("name", "POST /a\u0000b");
        ((ObjectNode) span.get("attributes")).put("k\u0000", "v\u0000");
        ((ObjectNode) b.get("traces").get(0).get("logs").get(0))
                .put("message", "\u0000");

        assertThat(c.postBatch(b)).isEqualTo(3);
        assertThat(c.trace(traceId).get("name").asText()).isEqualTo("POST /a\ufffdb");
    }

    @Test
    void aBatchWithATriggerIsStoredAndAcknowledgedWithTheNumberOfRecords() {
        String t = traceId(0x101);
        ObjectNode b = batch(AGENT);
        trigger(b, t, "error", "HTTP 500 POST /payments", 1_763_700_000_123L);
        ObjectNode e = entry(b, t, false);
        span(e, spanId(1), null, "POST /orders", "failed", T0_US, T0_US + 23_000);
        message(e, 1, spanId(1), "inbound", "POST", "http://127.0.0.1:8082/orders", 500, T0_US, "{}", "{\"error\":1}");
        log(e, 2, spanId(1), T0_US + 1_000, "DEBUG", "charging card");

        assertThat(c.postBatch(b)).isEqualTo(3);

        JsonNode trace = c.trace(t);
        assertThat(trace.get("name").asText()).isEqualTo("POST /orders");
        assertThat(trace.get("status").asText()).isEqualTo("error");
        assertThat(trace.get("spans")).hasSize(1);
        assertThat(trace.get("messages")).hasSize(1);
        assertThat(trace.get("logs")).hasSize(1);
        assertThat(trace.get("logs").get(0).get("message").asText()).isEqualTo("charging card");
        assertThat(trace.get("logs").get(0).get("service").asText()).isEqualTo("orders");
        assertThat(trace.get("logs").get(0).get("agentId").asText()).isEqualTo(AGENT);
    }

    @Test
    void gzipBodiesAreAccepted() throws IOException {
        String t = traceId(0x102);
        ObjectNode b = batch(AGENT);
        trigger(b, t, "manual", "look", 1_763_700_000_000L);
        ObjectNode e = entry(b, t, false);
        log(e, 1, null, T0_US, "INFO", "x".repeat(5_000));
        HttpResponse<String> r = c.send(c.agentRequest("/agent/v1/batches",
                gzip(b.toString().getBytes(StandardCharsets.UTF_8)), Map.of("Content-Encoding", "gzip")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestCollector.json(r).get("accepted").asInt()).isEqualTo(1);
    }

    @Test
    void aMissingOrUnknownApiKeyIs401() {
        HttpRequest noKey = HttpRequest.newBuilder(URI.create(c.url("/agent/v1/register")))
                .header("Mintaro-Protocol", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(c.send(noKey).statusCode()).isEqualTo(401);

        HttpResponse<String> wrongKey = c.send(c.agentRequest("/agent/v1/register", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Bearer not-the-key")));
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(TestCollector.json(wrongKey).get("error").asText()).contains("API key");
    }

    @Test
    void aMissingOrUnsupportedProtocolHeaderIs400() {
        HttpRequest missing = HttpRequest.newBuilder(URI.create(c.url("/agent/v1/register")))
                .header("Authorization", "Bearer " + TestCollector.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> r = c.send(missing);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestCollector.json(r).get("error").asText()).contains("Mintaro-Protocol");

        HttpResponse<String> v2 = c.send(c.agentRequest("/agent/v1/register", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Mintaro-Protocol", "2")));
        assertThat(v2.statusCode()).isEqualTo(400);
        assertThat(TestCollector.json(v2).get("error").asText()).contains("version");
    }

    @Test
    void malformedJsonIs400() {
        for (String body : new String[] {"{\"agentId\": ", "not json", "[1,2]", "", "{} {}", "{\"a\":[1,}"}) {
            HttpResponse<String> r = c.agentPost("/agent/v1/batches", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(TestCollector.json(r).has("error")).isTrue();
        }
    }

    @Test
    void binaryGarbageNeverBreaksTheCollector() {
        byte[] garbage = new byte[4096];
        new java.util.Random(7).nextBytes(garbage);
        for (String path : new String[] {"/agent/v1/register", "/agent/v1/poll", "/agent/v1/batches"}) {
            assertThat(c.send(c.agentRequest(path, garbage, Map.of())).statusCode()).isEqualTo(400);
            assertThat(c.send(c.agentRequest(path, garbage, Map.of("Content-Encoding", "gzip"))).statusCode())
                    .isEqualTo(400);
        }
        assertThat(c.get("/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anInvalidRecordRejectsTheWholeBatchAndNothingIsStored() {
        String t = traceId(0x103);
        ObjectNode b = batch(AGENT);
        trigger(b, t, "error", "boom", 1_763_700_000_000L);
        ObjectNode e = entry(b, t, false);
        span(e, spanId(1), null, "GET /", "succeeded", T0_US, T0_US + 10);
        log(e, 1, null, T0_US, "INFO", "fine");
        span(e, "00F067AA0BA902B7", null, "GET /bad", "succeeded", T0_US, T0_US + 10); // uppercase hex

        HttpResponse<String> r = c.agentPost("/agent/v1/batches", b);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestCollector.json(r).get("error").asText())
                .isEqualTo("traces[0].spans[1].spanId: expected 16 lowercase hex digits");
        assertThat(c.get("/api/traces/" + t).statusCode()).isEqualTo(404);
    }

    @Test
    void everyFieldIsValidatedAndTheErrorNamesIt() {
        String t = traceId(0x104);
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"agentId\":\"" + AGENT + "\",\"triggers\":[{\"traceId\":\"" + "0".repeat(32)
                + "\",\"kind\":\"error\",\"atMs\":1}]}", "triggers[0].traceId");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"triggers\":[{\"traceId\":\"" + t
                + "\",\"kind\":\"fatal\",\"atMs\":1}]}", "triggers[0].kind: must be one of error, manual, slow");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"triggers\":[{\"traceId\":\"" + t
                + "\",\"kind\":\"error\",\"atMs\":1.5}]}", "triggers[0].atMs: must be an integer");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"traces\":[{\"traceId\":\"" + t
                + "\",\"spans\":[{\"spanId\":\"" + spanId(1) + "\",\"name\":\"x\",\"kind\":\"server\","
                + "\"status\":\"started\",\"startUs\":5,\"endUs\":6}]}]}", "traces[0].spans[0].endUs");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"traces\":[{\"traceId\":\"" + t
                + "\",\"logs\":[{\"seq\":1,\"timeUs\":5,\"level\":\"debug\",\"message\":\"m\"}]}]}",
                "traces[0].logs[0].level");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"traces\":[{\"traceId\":\"" + t
                + "\",\"messages\":[{\"seq\":-1,\"direction\":\"inbound\",\"method\":\"GET\",\"url\":\"/\","
                + "\"status\":200,\"startUs\":5}]}]}", "traces[0].messages[0].seq");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"traces\":[{\"traceId\":\"" + t
                + "\",\"breadcrumbs\":[{\"role\":\"callee\",\"agentId\":\"xyz\",\"authority\":null}]}]}",
                "traces[0].breadcrumbs[0].agentId");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"traces\":[{\"traceId\":\"" + t
                + "\",\"breadcrumbs\":[{\"role\":\"parent\",\"agentId\":null,\"authority\":null}]}]}",
                "traces[0].breadcrumbs[0].role");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"traces\":[{\"traceId\":\"" + t + "\",\"reply\":\"yes\"}]}",
                "traces[0].reply: must be a boolean");
        cases.put("{\"agentId\":\"" + AGENT + "\",\"traces\":{}}", "traces: must be an array");
        cases.put("{\"agentId\":\"xyz\"}", "agentId: expected 16 lowercase hex digits");
        cases.forEach((body, expected) -> {
            HttpResponse<String> r = c.agentPost("/agent/v1/batches", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).as(body).contains(expected);
        });
        HttpResponse<String> badService = c.agentPost("/agent/v1/register",
                "{\"agentId\":\"" + AGENT + "\",\"service\":\"has space\"}");
        assertThat(badService.statusCode()).isEqualTo(400);
        assertThat(TestCollector.json(badService).get("error").asText()).startsWith("service:");
    }

    @Test
    void spanEventsAreKeptInTheStoredSpanWithTheirTimesNamesAndAttributes() {
        String t = traceId(0x108);
        ObjectNode b = batch(AGENT);
        trigger(b, t, "error", "boom", 1_763_700_000_000L);
        ObjectNode e = entry(b, t, false);
        ObjectNode s = span(e, spanId(1), null, "GET /users/42", "succeeded", T0_US, T0_US + 20_000);
        event(s, T0_US + 110, "cache miss", "cache.key", "user:42", "hits", "3");
        ObjectNode typed = event(s, T0_US + 5_000, "retry");
        typed.putObject("attributes").put("attempt", 2).put("final", false).putArray("codes").add(503).add(504);
        event(s, T0_US + 9_000, "x".repeat(1_024)).remove("attributes"); // attributes are optional
        span(e, spanId(2), spanId(1), "SELECT users", "succeeded", T0_US + 100, T0_US + 900); // no events field
        assertThat(c.postBatch(b)).isEqualTo(2);

        JsonNode spans = c.trace(t).get("spans");
        JsonNode events = spans.get(0).get("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(0).toString()).isEqualTo("{\"timeUs\":" + (T0_US + 110)
                + ",\"name\":\"cache miss\",\"attributes\":{\"cache.key\":\"user:42\",\"hits\":\"3\"}}");
        assertThat(events.get(1).get("attributes").toString())
                .isEqualTo("{\"attempt\":2,\"final\":false,\"codes\":[503,504]}");
        assertThat(events.get(2).get("name").asText()).hasSize(1_024);
        assertThat(events.get(2).get("attributes").isEmpty()).isTrue();
        // An old agent sends no events: the stored span has an empty list, as for other optional arrays.
        assertThat(spans.get(1).get("events").isArray()).isTrue();
        assertThat(spans.get(1).get("events")).isEmpty();
    }

    @Test
    void everyFieldOfASpanEventIsValidatedAndTheErrorNamesIt() {
        String t = traceId(0x109);
        Map<java.util.function.Consumer<ObjectNode>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(s -> s.put("events", "cache miss"), "traces[0].spans[0].events: must be an array");
        cases.put(s -> s.putArray("events").add("cache miss"), "traces[0].spans[0].events[0]: must be an object");
        cases.put(s -> event(s, T0_US, "a").remove("timeUs"), "traces[0].spans[0].events[0].timeUs: is required");
        cases.put(s -> event(s, T0_US, "a").put("timeUs", -1),
                "traces[0].spans[0].events[0].timeUs: must be between 0 and 9007199254740992");
        cases.put(s -> event(s, T0_US, "a").put("timeUs", "soon"),
                "traces[0].spans[0].events[0].timeUs: must be an integer");
        cases.put(s -> event(s, T0_US, "a").remove("name"), "traces[0].spans[0].events[0].name: is required");
        cases.put(s -> event(s, T0_US, ""), "traces[0].spans[0].events[0].name: must be 1-1024 characters");
        cases.put(s -> event(s, T0_US, "x".repeat(1_025)),
                "traces[0].spans[0].events[0].name: is longer than 1024 characters");
        cases.put(s -> event(s, T0_US, "a").put("name", 7), "traces[0].spans[0].events[0].name: must be a string");
        cases.put(s -> {
            event(s, T0_US, "fine");
            event(s, T0_US, "bad").putObject("attributes").putObject("nested").put("k", "v");
        }, "traces[0].spans[0].events[1].attributes.nested: must be a string, number, boolean or an array of those");
        cases.put(s -> event(s, T0_US, "a").put("attributes", "k=v"),
                "traces[0].spans[0].events[0].attributes: must be an object");
        cases.put(s -> {
            ObjectNode attrs = event(s, T0_US, "a").putObject("attributes");
            for (int i = 0; i <= 256; i++) {
                attrs.put("k" + i, "v");
            }
        }, "traces[0].spans[0].events[0].attributes: has more than 256 entries");
        cases.put(s -> {
            for (int i = 0; i <= 128; i++) {
                event(s, T0_US + i, "e" + i);
            }
        }, "traces[0].spans[0].events: has more than 128 entries");
        cases.put(s -> event(s.put("status", "started").putNull("endUs"), T0_US, "early"),
                "traces[0].spans[0].events: must be absent or empty while status is started");
        cases.forEach((mutation, expected) -> {
            ObjectNode b = batch(AGENT);
            trigger(b, t, "error", "boom", 1_763_700_000_000L);
            mutation.accept(span(entry(b, t, false), spanId(1), null, "GET /", "succeeded", T0_US, T0_US + 10));
            HttpResponse<String> r = c.agentPost("/agent/v1/batches", b);
            assertThat(r.statusCode()).as(expected).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).isEqualTo(expected);
        });
        assertThat(c.get("/api/traces/" + t).statusCode()).isEqualTo(404);

        // 128 events is the limit, not past it.
        ObjectNode b = batch(AGENT);
        trigger(b, t, "error", "boom", 1_763_700_000_000L);
        ObjectNode s = span(entry(b, t, false), spanId(1), null, "GET /", "succeeded", T0_US, T0_US + 10);
        for (int i = 0; i < 128; i++) {
            event(s, T0_US + i, "e" + i);
        }
        c.postBatch(b);
        assertThat(c.trace(t).at("/spans/0/events")).hasSize(128);
    }

    @Test
    void aBatchMayCarryOnlyCountedTriggers() {
        ObjectNode b = Records.obj().put("agentId", AGENT);
        ObjectNode price = counted(b, "error", "GET /price/only-counted", "HTTP 500");
        occurrence(price, traceId(0x10a), 1_763_700_000_123L);
        more(price, 4, 1_763_700_000_200L);
        // Counts are not records: nothing is "accepted", and no trace is stored for them.
        assertThat(c.postBatch(b)).isZero();
        assertThat(c.get("/api/traces/" + traceId(0x10a)).statusCode()).isEqualTo(404);

        JsonNode group = c.getJson("/api/groups?q=" + "only-counted").get("groups").get(0);
        assertThat(group.get("name").asText()).isEqualTo("HTTP 500 in GET /price/only-counted");
        assertThat(group.get("service").asText()).isEqualTo("orders");
        assertThat(group.get("occurrences").asLong()).isEqualTo(5);
        assertThat(group.get("traces").asLong()).isZero();
    }

    @Test
    void everyFieldOfACountedEntryIsValidatedAndTheErrorNamesIt() {
        String t = traceId(0x10b);
        Map<java.util.function.Consumer<ObjectNode>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(e -> e.remove("kind"), "counted[1].kind: is required");
        cases.put(e -> e.put("kind", "fatal"), "counted[1].kind: must be one of error, manual, slow");
        cases.put(e -> e.remove("endpoint"), "counted[1].endpoint: is required");
        cases.put(e -> e.put("endpoint", ""), "counted[1].endpoint: must be 1-512 characters");
        cases.put(e -> e.put("endpoint", "x".repeat(513)), "counted[1].endpoint: is longer than 512 characters");
        cases.put(e -> e.put("problem", 500), "counted[1].problem: must be a string");
        cases.put(e -> e.put("problem", ""), "counted[1].problem: must be 1-512 characters");
        cases.put(e -> e.put("traces", "4bf9"), "counted[1].traces: must be an array of [traceId, atMs] pairs");
        cases.put(e -> e.putArray("traces").add(t), "counted[1].traces[0]: must be a [traceId, atMs] pair");
        cases.put(e -> e.putArray("traces").addArray().add(t).add(1).add(2),
                "counted[1].traces[0]: must be a [traceId, atMs] pair");
        cases.put(e -> occurrence(e, t.toUpperCase(), 1),
                "counted[1].traces[1][0]: expected 32 lowercase hex digits, not all zero");
        cases.put(e -> occurrence(e, "0".repeat(32), 1),
                "counted[1].traces[1][0]: expected 32 lowercase hex digits, not all zero");
        cases.put(e -> ((com.fasterxml.jackson.databind.node.ArrayNode) e.get("traces")).addArray().add(t).add("now"),
                "counted[1].traces[1][1]: must be an integer");
        cases.put(e -> occurrence(e, t, -1), "counted[1].traces[1][1]: must be between 0 and 9007199254740");
        cases.put(e -> e.put("more", -1), "counted[1].more: must be between 0 and 10000000");
        cases.put(e -> e.put("more", 10_000_001), "counted[1].more: must be between 0 and 10000000");
        cases.put(e -> e.put("more", 1.5), "counted[1].more: must be an integer");
        cases.put(e -> e.remove("lastAtMs"), "counted[1].lastAtMs: is required");
        cases.put(e -> e.put("lastAtMs", 1L << 53), "counted[1].lastAtMs: must be between 0 and 9007199254740");
        cases.put(e -> {
            for (int i = 1; i < 5_000; i++) {
                occurrence(e, traceId(0x20000 + i), 1);
            }
        }, "counted: has more than 5000 traces over all entries");
        cases.forEach((mutation, expected) -> {
            ObjectNode b = batch(AGENT);
            trigger(b, t, "error", "boom", 1_763_700_000_000L);
            occurrence(counted(b, "slow", "GET /refused-batch", "slow"), traceId(0x10c), 1_763_700_000_000L);
            ObjectNode e = occurrence(counted(b, "error", "GET /refused-batch", "HTTP 500"), traceId(0x10d), 1);
            mutation.accept(e);
            HttpResponse<String> r = c.agentPost("/agent/v1/batches", b);
            assertThat(r.statusCode()).as(expected).isEqualTo(400);
            assertThat(TestCollector.json(r).get("error").asText()).isEqualTo(expected);
        });
        HttpResponse<String> notArray = c.agentPost("/agent/v1/batches", batch(AGENT).put("counted", "none"));
        assertThat(TestCollector.json(notArray).get("error").asText()).isEqualTo("counted: must be an array");
        // The whole batch was refused: its trigger, and its valid counted entry.
        assertThat(c.get("/api/traces/" + t).statusCode()).isEqualTo(404);
        assertThat(c.getJson("/api/groups?q=refused-batch").get("groups")).isEmpty();

        // 5,000 counted traces is the limit, not past it; traces and more may be left out.
        ObjectNode b = batch(AGENT);
        ObjectNode e = counted(b, "manual", "GET /at-the-limit", "ok");
        for (int i = 0; i < 5_000; i++) {
            occurrence(e, traceId(0x30000 + i), 1_763_700_000_000L);
        }
        counted(b, "error", "GET /at-the-limit", "HTTP 503").remove(java.util.List.of("traces", "more"));
        c.postBatch(b);
        // An entry without occurrences counts none.
        assertThat(c.getJson("/api/groups?q=at-the-limit").get("groups"))
                .extracting(g -> g.get("name").asText() + ": " + g.get("occurrences").asLong())
                .containsExactly("ok in GET /at-the-limit: 5000");
    }

    /** Things the SDK can legitimately send that a too-strict reading of the protocol would refuse. */
    @Test
    void quirksOfRealAgentsAreAccepted() {
        // Authorities come from Host headers of arbitrary clients: odd ones are ignored, not fatal.
        HttpResponse<String> reg = c.agentPost("/agent/v1/register", "{\"agentId\":\"00000000000000ab\","
                + "\"service\":\"orders\",\"host\":\"box\",\"pid\":1,\"sdk\":\"0.1.0\","
                + "\"authorities\":[\"Orders.Local:8080\",\"bad host\",\"x/y\"]}");
        assertThat(reg.statusCode()).as(reg.body()).isEqualTo(200);

        String t = traceId(0x106);
        ObjectNode b = batch(AGENT);
        trigger(b, t, "error", null, 1_763_700_000_000L);
        ObjectNode e = entry(b, t, false);
        ObjectNode s = span(e, spanId(1), null, "GET /", "succeeded", T0_US, T0_US + 10);
        s.putObject("attributes").put("", "empty key").put("k", "1").put("k", "2");
        log(e, 1, spanId(1), T0_US, "INFO", null);
        message(e, 2, spanId(1), "outbound", "GET", null, 0, T0_US, "", "").put("error", "connect timed out");
        Records.breadcrumb(e, "callee", null, null); // a URL without a host: names nobody
        Records.breadcrumb(e, "caller", "00000000000000ab", null);
        assertThat(c.postBatch(b)).isEqualTo(3);
        assertThat(c.trace(t).get("messages").get(0).get("error").asText()).isEqualTo("connect timed out");

        // A trigger reason is an exception message of any length: it is shortened, not refused.
        String t2 = traceId(0x107);
        ObjectNode b2 = batch(AGENT);
        trigger(b2, t2, "error", "x".repeat(100_000), 1_763_700_000_000L);
        c.postBatch(b2);
        assertThat(c.trace(t2).get("triggerReason").asText()).hasSize(2048).endsWith("...");
    }

    @Test
    void anUnknownAgentGets404OnPollAndBatches() {
        String stranger = "ffffffffffffff01";
        HttpResponse<String> poll = c.agentPost("/agent/v1/poll", "{\"agentId\":\"" + stranger + "\"}");
        assertThat(poll.statusCode()).isEqualTo(404);
        assertThat(TestCollector.json(poll).get("error").asText()).isEqualTo("unknown agent");

        HttpResponse<String> batch = c.agentPost("/agent/v1/batches", batch(stranger));
        assertThat(batch.statusCode()).isEqualTo(404);
        assertThat(TestCollector.json(batch).get("error").asText()).isEqualTo("unknown agent");
    }

    @Test
    void aBodyOverTheCapIs413() {
        ObjectNode b = batch(AGENT);
        b.put("padding", "x".repeat(1024 * 1024 + 1));
        HttpResponse<String> r = c.agentPost("/agent/v1/batches", b);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(c.get("/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aGzipBombIs413WithoutInflatingIt() throws IOException {
        // 64 MiB of zeros compress to ~64 KiB; the cap is 1 MiB after decompression.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("{\"agentId\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] zeros = new byte[1024 * 1024];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        long start = System.nanoTime();
        HttpResponse<String> r = c.send(c.agentRequest("/agent/v1/batches", bytes.toByteArray(),
                Map.of("Content-Encoding", "gzip")));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(c.get("/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anotherContentEncodingIsRefused() {
        HttpResponse<String> r = c.send(c.agentRequest("/agent/v1/register", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Encoding", "br")));
        assertThat(r.statusCode()).isEqualTo(415);
    }

    @Test
    void recordsOfAnUnknownTraceWithoutATriggerAreAcceptedButDropped() {
        String t = traceId(0x105);
        ObjectNode b = batch(AGENT);
        ObjectNode e = entry(b, t, false);
        log(e, 1, null, T0_US, "INFO", "orphan");
        assertThat(c.postBatch(b)).isZero();
        assertThat(c.get("/api/traces/" + t).statusCode()).isEqualTo(404);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }
}
