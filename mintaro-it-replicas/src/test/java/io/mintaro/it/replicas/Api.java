package io.mintaro.it.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/** The collector's REST API as a user reads it, with the API key, at any base URL (a replica, HAProxy). */
final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Api() {
    }

    /** {@code GET baseUrl + path} with the key. */
    static HttpResponse<String> get(String baseUrl, String path) {
        return send("GET", baseUrl, path, null, Map.of("Authorization", "Bearer " + Replicas.KEY));
    }

    /** A request with exactly {@code headers}; {@code body} null for none. */
    static HttpResponse<String> send(String method, String baseUrl, String path, String body,
                                     Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /api/traces/{id}}: the trace, or null on 404; anything else fails. */
    static JsonNode trace(String baseUrl, String traceId) {
        HttpResponse<String> r = get(baseUrl, "/api/traces/" + traceId);
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + baseUrl + "/api/traces/" + traceId + " answered " + r.statusCode()
                    + ": " + r.body());
        }
        return json(r.body());
    }

    /** Reads the trace at {@code baseUrl} until {@code done} holds; fails after {@code timeout}. */
    static JsonNode awaitTrace(String baseUrl, String traceId, Predicate<JsonNode> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last;
        while (true) {
            last = trace(baseUrl, traceId);
            if (last != null && done.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("trace " + traceId + " at " + baseUrl + " not as expected after "
                        + timeout.toMillis() + " ms; last seen: " + (last == null ? "404" : summary(last)));
            }
            Replicas.pause(100);
        }
    }

    /** Until the trace is complete. */
    static JsonNode awaitComplete(String baseUrl, String traceId, Duration timeout) {
        return awaitTrace(baseUrl, traceId, t -> t.path("complete").asBoolean(), timeout);
    }

    /** The trace's {@code services}, sorted. */
    static TreeSet<String> services(JsonNode trace) {
        TreeSet<String> out = new TreeSet<>();
        trace.path("services").forEach(s -> out.add(s.asText()));
        return out;
    }

    /** The services of a trace's records of one kind ({@code spans}, {@code logs}, {@code messages}). */
    static TreeSet<String> servicesOf(JsonNode trace, String records) {
        TreeSet<String> out = new TreeSet<>();
        trace.path(records).forEach(r -> out.add(r.path("service").asText()));
        return out;
    }

    /** The summary fields of a trace, without its records: for failure messages. */
    static String summary(JsonNode trace) {
        return "{complete=" + trace.path("complete") + ", services=" + trace.path("services") + ", spans="
                + trace.path("spanCount") + ", messages=" + trace.path("messageCount") + ", logs="
                + trace.path("logCount") + ", triggeredAtMs=" + trace.path("triggeredAtMs") + ", completedAtMs="
                + trace.path("completedAtMs") + "}";
    }

    static JsonNode json(String body) {
        try {
            return FakeAgent.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
