package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real collector on an ephemeral loopback port, and the agent side of protocol v1 that the
 * tests need to give it traces: register an agent, post a batch with a trigger and records.
 */
final class RealCollector implements AutoCloseable {
    static final String KEY = "test-key-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final Collector collector;

    RealCollector(Path dir) {
        collector = Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0)
                .dbPath(dir.resolve("m.db")).apiKey(KEY).build());
    }

    String url() {
        return collector.url();
    }

    @Override
    public void close() {
        collector.close();
    }

    HttpResponse<String> send(String method, String path, String body, boolean agent) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json");
        if (agent) {
            b.header("Mintaro-Protocol", "1");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    JsonNode api(String path) {
        HttpResponse<String> r = send("GET", path, null, false);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    void register(String agentId, String service, String version) {
        ObjectNode body = JSON.createObjectNode().put("agentId", agentId).put("service", service).put("host", "box-1")
                .put("pid", 4242).put("sdk", "0.1.0").put("version", version);
        body.putArray("authorities");
        HttpResponse<String> r = send("POST", "/agent/v1/register", body.toString(), true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    void post(Batch batch) {
        HttpResponse<String> r = send("POST", "/agent/v1/batches", batch.json.toString(), true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Polls until the trace is listed (stored). */
    void awaitStored(String traceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (send("GET", "/api/traces/" + traceId, null, false).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trace " + traceId + " not stored");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** One agent's batch for one trace: a trigger and its records (protocol v1). */
    static final class Batch {
        final ObjectNode json = JSON.createObjectNode();
        final ObjectNode entry;
        final String traceId;

        Batch(String agentId, String traceId, String triggerKind, String reason) {
            this.traceId = traceId;
            json.put("agentId", agentId);
            json.putArray("triggers").addObject().put("traceId", traceId).put("kind", triggerKind).put("reason", reason)
                    .put("atMs", System.currentTimeMillis());
            entry = json.putArray("traces").addObject().put("traceId", traceId).put("reply", false);
            entry.putArray("spans");
            entry.putArray("messages");
            entry.putArray("logs");
            entry.putArray("breadcrumbs");
        }

        ObjectNode span(String spanId, String parent, String name, String status, long startUs, long durationUs) {
            ObjectNode s = ((ArrayNode) entry.get("spans")).addObject().put("spanId", spanId).put("parentSpanId", parent)
                    .put("name", name).put("kind", "server").put("status", status).put("startUs", startUs)
                    .put("endUs", startUs + durationUs);
            s.putObject("attributes");
            s.putNull("error");
            s.putArray("handledErrors");
            return s;
        }

        ObjectNode message(long seq, String spanId, String direction, String method, String url, int status,
                           long startUs, String requestBody, String responseBody) {
            ObjectNode m = ((ArrayNode) entry.get("messages")).addObject().put("seq", seq).put("spanId", spanId)
                    .put("direction", direction).put("method", method).put("url", url).put("status", status)
                    .put("startUs", startUs).put("durationUs", 12_500);
            m.putArray("requestHeaders");
            m.put("requestBody", requestBody).put("requestBodyEncoding", requestBody == null ? null : "utf8")
                    .put("requestBodySize", requestBody == null ? 0 : requestBody.length()).put("requestBodyTruncated", false);
            m.putArray("responseHeaders");
            m.put("responseBody", responseBody).put("responseBodyEncoding", responseBody == null ? null : "utf8")
                    .put("responseBodySize", responseBody == null ? 0 : responseBody.length())
                    .put("responseBodyTruncated", false);
            m.putNull("error");
            return m;
        }

        ObjectNode log(long seq, String spanId, long timeUs, String level, String message) {
            return ((ArrayNode) entry.get("logs")).addObject().put("seq", seq).put("spanId", spanId).put("timeUs", timeUs)
                    .put("level", level).put("logger", "io.mintaro.demo.Payments").put("thread", "qtp-12")
                    .put("message", message).putNull("error");
        }
    }
}
