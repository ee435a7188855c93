package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A real collector on an ephemeral loopback port with a real database ({@link TestDatabase}: a
 * SQLite file, or PostgreSQL in the contract run), and an HTTP client that speaks to it the way
 * agents and API users do.
 */
final class TestCollector implements AutoCloseable {
    static final String KEY = "test-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final Collector collector;
    final Database db;

    private TestCollector(Collector collector, Database db) {
        this.collector = collector;
        this.db = db;
    }

    /** Short timeouts so tests run fast: poll 1 s, answer 500 ms, reconnect wait 1 s, late window 2 s, body cap 1 MiB. */
    static TestCollector start(Path dir) {
        return start(dir, b -> {
        });
    }

    static TestCollector start(Path dir, Consumer<CollectorConfig.Builder> tweak) {
        CollectorConfig.Builder b = CollectorConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .database(TestDatabase.forDirectory(dir))
                .apiKey(KEY)
                .pollTimeoutMs(1_000)
                .answerTimeoutMs(500)
                .reconnectWaitMs(1_000)
                .lateWindowMs(2_000)
                .maxBodyBytes(1024 * 1024);
        tweak.accept(b);
        CollectorConfig config = b.build();
        return new TestCollector(Collector.start(config), config.database());
    }

    @Override
    public void close() {
        collector.close();
    }

    /** A new connection to this collector's database. */
    java.sql.Connection connect() throws java.sql.SQLException {
        return TestDatabase.connect(db);
    }

    /** The first column of every row of {@code sql} on this collector's database, as text. */
    java.util.List<String> query(String sql) throws java.sql.SQLException {
        return TestDatabase.query(db, sql);
    }

    String url(String path) {
        return collector.url() + path;
    }

    // ------------------------------------------------------------ raw HTTP

    HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** An agent request with the right key and protocol header, plus {@code extraHeaders}. */
    HttpRequest agentRequest(String path, byte[] body, Map<String, String> extraHeaders) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .header("Mintaro-Protocol", "1");
        extraHeaders.forEach(b::setHeader);
        return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    HttpResponse<String> agentPost(String path, String json) {
        return send(agentRequest(path, json.getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    HttpResponse<String> agentPost(String path, JsonNode json) {
        return agentPost(path, json.toString());
    }

    HttpResponse<String> get(String path) {
        return get(path, KEY);
    }

    /** A GET with {@code key} as the bearer key. */
    HttpResponse<String> get(String path, String key) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .GET().build());
    }

    /** An agent request with {@code key} as the bearer key. */
    HttpResponse<String> agentPost(String path, String json, String key) {
        return send(agentRequest(path, json.getBytes(StandardCharsets.UTF_8), Map.of("Authorization", "Bearer " + key)));
    }

    /** An API request with the key; a non-null {@code json} body is sent as {@code application/json}. */
    HttpResponse<String> api(String method, String path, String json) {
        return raw(method, path, json, json == null ? Map.of("Authorization", "Bearer " + KEY)
                : Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"));
    }

    /** A request with exactly the given headers (no key unless given); {@code body} null for none. */
    HttpResponse<String> raw(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return send(b.build());
    }

    /** {@code GET path}, expecting 200; the parsed body. */
    JsonNode getJson(String path) {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json(r);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    // ------------------------------------------------------------ agent helpers

    void register(String agentId, String service, String... authorities) {
        ObjectNode body = JSON.createObjectNode()
                .put("agentId", agentId).put("service", service).put("host", "box-1").put("pid", 4242)
                .put("sdk", "0.1.0");
        ArrayNode a = body.putArray("authorities");
        for (String authority : authorities) {
            a.add(authority);
        }
        HttpResponse<String> r = agentPost("/agent/v1/register", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    CompletableFuture<HttpResponse<String>> pollAsync(String agentId) {
        ObjectNode body = JSON.createObjectNode().put("agentId", agentId);
        return sendAsync(agentRequest("/agent/v1/poll", body.toString().getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    /** Posts a batch, expecting 200; returns {@code accepted}. */
    int postBatch(JsonNode batch) {
        HttpResponse<String> r = agentPost("/agent/v1/batches", batch);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("accepted").asInt();
    }

    /** GET /api/traces/{id}, expecting 200. */
    JsonNode trace(String traceId) {
        HttpResponse<String> r = get("/api/traces/" + traceId);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    /** Polls the API until the trace is complete. */
    JsonNode awaitComplete(String traceId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = get("/api/traces/" + traceId);
            if (r.statusCode() == 200 && json(r).get("complete").asBoolean()) {
                return json(r);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trace " + traceId + " not complete after " + timeout + ": " + r.body());
            }
            Thread.sleep(20);
        }
    }
}
