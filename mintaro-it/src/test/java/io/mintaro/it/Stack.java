package io.mintaro.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import io.mintaro.demo.DemoOptions;
import io.mintaro.demo.DemoServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The whole product on loopback: a real collector with a SQLite file, a byte-counting relay in
 * front of it, and the three demo services, each with its own SDK and agent.
 */
final class Stack implements AutoCloseable {
  static final String API_KEY = "it-test-key";
  static final ObjectMapper JSON = new ObjectMapper();

  final Path db;
  final CountingProxy proxy;
  final DemoServices services;
  final HttpClient user = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Collector collector;
  private final int collectorPort;

  private Stack(Path db, Collector collector, CountingProxy proxy, DemoServices services) {
    this.db = db;
    this.collector = collector;
    this.collectorPort = collector.port();
    this.proxy = proxy;
    this.services = services;
  }

  static Stack start(Path dir, DemoOptions options) throws Exception {
    Path db = dir.resolve("mintaro.db");
    Collector collector = Collector.start(config(db, 0));
    CountingProxy proxy = new CountingProxy(collector.port());
    DemoServices services = DemoServices.start(options
        .collector("http://127.0.0.1:" + proxy.port(), API_KEY)
        .reconnectMaxDelay(Duration.ofMillis(500)));
    Stack stack = new Stack(db, collector, proxy, services);
    stack.awaitAgents(3);
    return stack;
  }

  static DemoOptions defaults() {
    return DemoOptions.create()
        .slowThreshold(Duration.ofMillis(800))
        .slowDelay(Duration.ofMillis(1200))
        .ordersTimeout(Duration.ofMillis(2000))
        .hangDelay(Duration.ofMillis(3500))
        .bufferSize(8 * 1024 * 1024);
  }

  private static CollectorConfig config(Path db, int port) {
    return CollectorConfig.builder()
        .port(port)
        .dbPath(db)
        .apiKey(API_KEY)
        .pollTimeoutMs(5_000)
        .answerTimeoutMs(2_000)
        .lateWindowMs(10_000)
        .build();
  }

  void stopCollector() {
    collector.close();
    collector = null;
  }

  void restartCollector() {
    collector = Collector.start(config(db, collectorPort));
  }

  static String newTraceId() {
    return String.format("%016x%016x", ThreadLocalRandom.current().nextLong() | 1, ThreadLocalRandom.current().nextLong());
  }

  /** Calls the frontend as a user would, optionally setting the trace id by hand. */
  HttpResponse<String> checkout(String query, String traceId) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(services.checkoutUri(query)).timeout(Duration.ofSeconds(10));
    if (traceId != null) {
      request.header("X-Mintaro-Trace", traceId);
    }
    return user.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = user.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + collectorPort + pathAndQuery))
        .header("Authorization", "Bearer " + API_KEY).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return null;
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Polls the API until the trace satisfies {@code done}; returns the last version seen. */
  JsonNode awaitTrace(String traceId, Predicate<JsonNode> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = api("/api/traces/" + traceId);
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    return last;
  }

  static Set<String> services(JsonNode records) {
    Set<String> names = new HashSet<>();
    records.forEach(r -> names.add(r.path("service").asText()));
    return names;
  }

  /** Complete, with the five exchanges and finished spans of all hops and logs of all three services. */
  static boolean wholeStory(JsonNode t) {
    return t != null && t.path("complete").asBoolean() && t.path("messages").size() >= 5
        && hasAllThree(t, "logs") && finishedSpans(t) >= 5;
  }

  static long finishedSpans(JsonNode trace) {
    long n = 0;
    for (JsonNode s : trace.path("spans")) {
      if (!s.path("status").asText().equals("started")) {
        n++;
      }
    }
    return n;
  }

  static boolean hasAllThree(JsonNode trace, String field) {
    return trace != null && services(trace.path(field)).containsAll(Set.of("frontend", "orders", "payments"));
  }

  void awaitAgents(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (services.frontend().sdk().stats().connected() && services.orders().sdk().stats().connected()
          && services.payments().sdk().stats().connected()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("agents did not register within 10 s");
  }

  @Override
  public void close() throws Exception {
    services.close();
    proxy.close();
    if (collector != null) {
      collector.close();
    }
  }
}
