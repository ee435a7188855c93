package io.mintaro.it.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An agent that speaks protocol v1 (docs/protocol.md) with plain HTTP, to whichever replica a test
 * chooses for each request: register, long poll, batches. The JSON shapes are those of the protocol
 * document (and of the collector tests' {@code Records}).
 */
final class FakeAgent {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final String agentId;
    final String service;
    final String authority;
    private long seq;

    /** An agent of {@code service} with a random id, serving {@code <service>.internal:8080}. */
    FakeAgent(String service) {
        this.agentId = String.format("%016x", ThreadLocalRandom.current().nextLong() | 1L);
        this.service = service;
        this.authority = service + ".internal:8080";
    }

    /** A random trace id (32 hex digits, not all zero). */
    static String newTraceId() {
        return String.format("%016x%016x", ThreadLocalRandom.current().nextLong() | 1L,
                ThreadLocalRandom.current().nextLong());
    }

    static String newSpanId() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong() | 1L);
    }

    static long nowUs() {
        return System.currentTimeMillis() * 1000;
    }

    // ------------------------------------------------------------ requests

    /** {@code POST /agent/v1/register} at {@code baseUrl}, expecting 200. */
    void register(String baseUrl) {
        ObjectNode body = JSON.createObjectNode()
                .put("agentId", agentId).put("service", service).put("host", "box-" + service)
                .put("pid", 4242).put("sdk", "0.1.0");
        body.putArray("authorities").add(authority);
        HttpResponse<String> r = send(request(baseUrl, "/agent/v1/register", body));
        assertThat(r.statusCode()).as("register at %s: %s", baseUrl, r.body()).isEqualTo(200);
    }

    /** Opens a long poll at {@code baseUrl}. */
    CompletableFuture<HttpResponse<String>> pollAsync(String baseUrl) {
        ObjectNode body = JSON.createObjectNode().put("agentId", agentId);
        return HTTP.sendAsync(request(baseUrl, "/agent/v1/poll", body),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * Waits for {@code collect traceId}: first on {@code openPoll}, then on new polls at {@code baseUrl}
     * (a poll answers empty after the poll timeout), until {@code timeout}.
     */
    void awaitCollect(CompletableFuture<HttpResponse<String>> openPoll, String baseUrl, String traceId,
                      Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<HttpResponse<String>> poll = openPoll;
        List<String> seen = new ArrayList<>();
        while (true) {
            long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            HttpResponse<String> r;
            try {
                r = poll.get(leftMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                poll.cancel(true);
                throw new AssertionError(service + " got no collect for " + traceId + " at " + baseUrl
                        + " within " + timeout.toMillis() + " ms (commands seen: " + seen + ")");
            } catch (ExecutionException e) {
                throw new AssertionError(service + "'s poll at " + baseUrl + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            assertThat(r.statusCode()).as("poll at %s: %s", baseUrl, r.body()).isEqualTo(200);
            List<String> commands = collects(r);
            seen.addAll(commands);
            if (commands.contains(traceId)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(service + " got no collect for " + traceId + " at " + baseUrl
                        + " within " + timeout.toMillis() + " ms (commands seen: " + seen + ")");
            }
            poll = pollAsync(baseUrl);
        }
    }

    /**
     * Polls at {@code baseUrl} in a thread of its own, as an SDK's agent does, and answers every
     * {@code collect} there at once with {@link #answer}; until the returned handle is closed.
     * Network errors and 5xx answers are retried after 250 ms, as the agent backs off.
     */
    AutoCloseable answerEveryCollect(String baseUrl, FakeAgent caller, FakeAgent... callees) {
        AtomicBoolean stopped = new AtomicBoolean();
        Thread t = new Thread(() -> {
            while (!stopped.get()) {
                try {
                    HttpResponse<String> r = pollAsync(baseUrl).get(60, TimeUnit.SECONDS);
                    if (r.statusCode() != 200) {
                        pause();
                        continue;
                    }
                    for (String traceId : collects(r)) {
                        while (!stopped.get() && post(baseUrl, answer(traceId, caller, callees)).statusCode() != 200) {
                            pause();
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException | TimeoutException | UncheckedIOException e) {
                    pause();
                }
            }
        }, "fake-agent-" + service);
        t.setDaemon(true);
        t.start();
        return () -> {
            stopped.set(true);
            t.interrupt();
        };
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code POST /agent/v1/batches}; the response, whatever its status. */
    HttpResponse<String> post(String baseUrl, ObjectNode batch) {
        return send(request(baseUrl, "/agent/v1/batches", batch));
    }

    /** Posts a batch, expecting 200. */
    void postBatch(String baseUrl, ObjectNode batch) {
        HttpResponse<String> r = post(baseUrl, batch);
        assertThat(r.statusCode()).as("batch of %s at %s: %s", service, baseUrl, r.body()).isEqualTo(200);
    }

    static List<String> collects(HttpResponse<String> poll) {
        List<String> out = new ArrayList<>();
        try {
            for (JsonNode c : JSON.readTree(poll.body()).path("commands")) {
                if (c.path("type").asText().equals("collect")) {
                    out.add(c.path("traceId").asText());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("poll answer is not JSON: " + poll.body(), e);
        }
        return out;
    }

    // ------------------------------------------------------------ batches

    /** An empty batch of this agent. */
    ObjectNode batch() {
        ObjectNode b = JSON.createObjectNode().put("agentId", agentId);
        b.putArray("triggers");
        b.putArray("traces");
        return b;
    }

    /**
     * A batch that triggers {@code traceId} (an error) with this agent's records of it: its failed
     * server span and an ERROR log line in it, and a callee breadcrumb for each agent it called.
     */
    ObjectNode trigger(String traceId, FakeAgent... callees) {
        ObjectNode b = batch();
        ((ArrayNode) b.get("triggers")).addObject().put("traceId", traceId).put("kind", "error")
                .put("reason", "HTTP 500 POST /" + service).put("atMs", System.currentTimeMillis());
        records(entry(b, traceId, false), null, callees);
        return b;
    }

    /** A batch that answers {@code collect traceId} with this agent's records, called by {@code caller}. */
    ObjectNode answer(String traceId, FakeAgent caller, FakeAgent... callees) {
        ObjectNode b = batch();
        records(entry(b, traceId, true), caller, callees);
        return b;
    }

    private void records(ObjectNode entry, FakeAgent caller, FakeAgent... callees) {
        String spanId = newSpanId();
        long start = nowUs() - 20_000;
        ObjectNode span = ((ArrayNode) entry.get("spans")).addObject()
                .put("spanId", spanId).putNull("parentSpanId").put("name", "POST /" + service)
                .put("kind", "server").put("status", "failed").put("startUs", start).put("endUs", start + 15_000);
        span.putObject("attributes").put("http.route", "/" + service);
        span.putObject("error").put("type", "java.lang.IllegalStateException").put("message", service + " failed")
                .put("stack", "java.lang.IllegalStateException: " + service + " failed");
        span.putArray("handledErrors");
        ((ArrayNode) entry.get("logs")).addObject()
                .put("seq", ++seq).put("spanId", spanId).put("timeUs", start + 5_000).put("level", "ERROR")
                .put("logger", "io.mintaro.replicas." + service).put("thread", "qtp-1")
                .put("message", service + " failed").putNull("error");
        if (caller != null) {
            ((ArrayNode) entry.get("breadcrumbs")).addObject().put("role", "caller").put("agentId", caller.agentId)
                    .putNull("authority").put("spanId", spanId);
        }
        for (FakeAgent callee : callees) {
            ((ArrayNode) entry.get("breadcrumbs")).addObject().put("role", "callee").put("agentId", callee.agentId)
                    .put("authority", callee.authority).put("spanId", spanId);
        }
    }

    private static ObjectNode entry(ObjectNode batch, String traceId, boolean reply) {
        ObjectNode e = ((ArrayNode) batch.get("traces")).addObject().put("traceId", traceId).put("reply", reply);
        e.putArray("spans");
        e.putArray("messages");
        e.putArray("logs");
        e.putArray("breadcrumbs");
        return e;
    }

    // ------------------------------------------------------------ HTTP

    private static HttpRequest request(String baseUrl, String path, JsonNode body) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Replicas.KEY)
                .header("Mintaro-Protocol", "1")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
