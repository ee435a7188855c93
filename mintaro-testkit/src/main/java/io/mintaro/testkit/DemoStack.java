package io.mintaro.testkit;

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The whole product on loopback: a real collector with a SQLite file, optionally a byte-counting
 * {@link CountingRelay} in front of it, and the three demo services, each with its own SDK and
 * agent. Starting one waits until all three agents are connected.
 */
public class DemoStack implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** The demo services; their agents talk to the relay if there is one, else to the collector. */
  public final DemoServices services;
  /** The relay in front of the collector, or null when the agents connect to it directly. */
  public final CountingRelay relay;
  /** The client that plays the user and reads the REST API. */
  public final HttpClient user = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path db;
  private final Map<String, String> exportSettings;
  private final String apiKey;
  private final String collectorHost;
  private final int collectorPort;
  private final Duration pollInterval;
  private Collector collector;

  /**
   * Starts the stack.
   *
   * @param db the collector's SQLite file
   * @param apiKey the key of the agents and of the REST API
   * @param collectorHost the address the collector binds, null for all
   * @param viaRelay whether the agents reach the collector through a {@link CountingRelay}
   * @param pollInterval how often {@link #awaitTrace} asks the API
   * @param options the demo's settings; the collector URL and reconnect delay are set here
   */
  protected DemoStack(Path db, String apiKey, String collectorHost, boolean viaRelay, Duration pollInterval,
      DemoOptions options) throws Exception {
    this(db, apiKey, collectorHost, viaRelay, pollInterval, options, Map.of());
  }

  /**
   * @param exportSettings the collector's export settings, as {@link CollectorConfig.Builder#exportSetting}
   *     takes them ({@code MINTARO_EXPORT_ZIPKIN}...)
   */
  protected DemoStack(Path db, String apiKey, String collectorHost, boolean viaRelay, Duration pollInterval,
      DemoOptions options, Map<String, String> exportSettings) throws Exception {
    this.db = db;
    this.exportSettings = Map.copyOf(exportSettings);
    this.apiKey = apiKey;
    this.collectorHost = collectorHost;
    this.pollInterval = pollInterval;
    Collector collector = Collector.start(config(0));
    CountingRelay relay = null;
    DemoServices services = null;
    try {
      relay = viaRelay ? new CountingRelay(collector.port()) : null;
      int agentPort = relay != null ? relay.port() : collector.port();
      services = DemoServices.start(options
          .collector("http://127.0.0.1:" + agentPort, apiKey)
          .reconnectMaxDelay(Duration.ofMillis(500)));
      awaitAgents(services);
    } catch (Exception | Error e) {
      closeAll(services, relay, collector);
      throw e;
    }
    this.collector = collector;
    this.collectorPort = collector.port();
    this.relay = relay;
    this.services = services;
  }

  private CollectorConfig config(int port) {
    CollectorConfig.Builder b = CollectorConfig.builder();
    exportSettings.forEach(b::exportSetting);
    return b
        .host(collectorHost)
        .port(port)
        .dbPath(db)
        .apiKey("demo", apiKey)
        .pollTimeoutMs(5_000)
        .answerTimeoutMs(2_000)
        .lateWindowMs(10_000)
        .build();
  }

  /** The collector's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String apiBase() {
    return "http://127.0.0.1:" + collectorPort;
  }

  public void stopCollector() {
    collector.close();
    collector = null;
  }

  /** Starts the collector again on the same port and database. */
  public void restartCollector() {
    collector = Collector.start(config(collectorPort));
  }

  /** A random W3C trace id, for setting one by hand. */
  public static String newTraceId() {
    return String.format("%016x%016x", ThreadLocalRandom.current().nextLong() | 1, ThreadLocalRandom.current().nextLong());
  }

  /** Calls the frontend as a user would, optionally setting the trace id by hand. */
  public HttpResponse<String> checkout(String query, String traceId) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(services.checkoutUri(query)).timeout(Duration.ofSeconds(10));
    if (traceId != null) {
      request.header("X-Mintaro-Trace", traceId);
    }
    return user.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GETs the collector's REST API; null on 404. */
  public JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = user.send(HttpRequest.newBuilder(URI.create(apiBase() + pathAndQuery))
        .header("Authorization", "Bearer " + apiKey).timeout(Duration.ofSeconds(10)).GET().build(),
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
  public JsonNode awaitTrace(String traceId, Predicate<JsonNode> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = api("/api/traces/" + traceId);
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(pollInterval.toMillis());
    }
    return last;
  }

  /** The service names of a trace's records (spans, logs, messages). */
  public static Set<String> services(JsonNode records) {
    Set<String> names = new HashSet<>();
    records.forEach(r -> names.add(r.path("service").asText()));
    return names;
  }

  /** Complete, with the five exchanges, finished spans of all hops and logs of all three services. */
  public static boolean wholeStory(JsonNode t) {
    return t != null && t.path("complete").asBoolean() && t.path("messages").size() >= 5
        && hasAllThree(t, "logs") && finishedSpans(t) >= 5;
  }

  public static long finishedSpans(JsonNode trace) {
    long n = 0;
    for (JsonNode s : trace.path("spans")) {
      if (!s.path("status").asText().equals("started")) {
        n++;
      }
    }
    return n;
  }

  /** Whether the trace's {@code field} records come from frontend, orders and payments. */
  public static boolean hasAllThree(JsonNode trace, String field) {
    return trace != null && services(trace.path(field)).containsAll(Set.of("frontend", "orders", "payments"));
  }

  private static void awaitAgents(DemoServices services) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (services.frontend().sdk().stats().connected() && services.orders().sdk().stats().connected()
          && services.payments().sdk().stats().connected()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the demo agents did not register within 10 s");
  }

  @Override
  public void close() throws Exception {
    closeAll(services, relay, collector);
  }

  private static void closeAll(DemoServices services, CountingRelay relay, Collector collector) throws Exception {
    try {
      if (services != null) {
        services.close();
      }
    } finally {
      try {
        if (relay != null) {
          relay.close();
        }
      } finally {
        if (collector != null) {
          collector.close();
        }
      }
    }
  }
}
