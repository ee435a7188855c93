package io.mintaro.it.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A fleet that mixes Mintaro and OpenTelemetry, in three JVMs: shop (Mintaro's own integrations)
 * calls pricing (the OpenTelemetry SDK with the bridge, exporting nothing), which calls stock (no
 * tracing code, run by the OpenTelemetry Java agent with Mintaro's extension). An error in any of
 * them yields one complete trace at the real collector, with every service's spans, exchanges and
 * logs.
 */
class MixedFleetIT {
  private static final String API_KEY = "it-otel-key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient user = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  static Path dir;
  static Collector collector;
  static ServiceProcess stock;
  static ServiceProcess pricing;
  static ServiceProcess shop;

  @BeforeAll
  static void start() throws Exception {
    collector = Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0).dbPath(dir.resolve("mintaro.db"))
        .apiKey(API_KEY).pollTimeoutMs(5_000).answerTimeoutMs(3_000).lateWindowMs(10_000).build());
    String mintaro = "-Dmintaro.collector=http://" + API_KEY + "@127.0.0.1:" + collector.port();
    stock = ServiceProcess.start("stock", StockService.class,
        MixedFleetIT::isTracingLibrary, // no Mintaro, no OpenTelemetry: Jetty and Logback only
        List.of("-javaagent:" + System.getProperty("otel.agent.jar"),
            "-Dotel.javaagent.extensions=" + System.getProperty("mintaro.extension.jar"),
            "-Dotel.service.name=stock", "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
            "-Dotel.logs.exporter=none",
            "-Dotel.instrumentation.http.server.capture-request-headers=traceparent,x-mintaro-caller",
            mintaro));
    pricing = ServiceProcess.start("pricing", PricingService.class, entry -> false,
        List.of("-Dmintaro.service=pricing", mintaro), stock.url());
    shop = ServiceProcess.start("shop", ShopService.class, entry -> entry.contains("/io/opentelemetry/"),
        List.of("-Dmintaro.service=shop", mintaro), pricing.url());

    // A first successful checkout teaches every agent the authority it is called by, which lets
    // the collector find a callee that answered without Mintaro's header (pricing, stock).
    assertThat(checkout("warm-up", "none", newTraceId()).statusCode()).isEqualTo(200);
    awaitServices("shop", "pricing", "stock");
    Thread.sleep(1_000); // the agents report new authorities on their next poll, at once
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {shop, pricing, stock, collector}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void anErrorUnderTheJavaAgentYieldsTheWholeTrace() throws Exception {
    String traceId = newTraceId();

    assertThat(checkout("lamp", "stock", traceId).statusCode()).isEqualTo(502);

    JsonNode trace = awaitWhole(traceId);
    assertThat(trace.path("status").asText()).isEqualTo("error");
    assertThat(exchanges(trace)).containsExactlyInAnyOrder("shop inbound GET /checkout 502",
        "shop outbound GET /price 502", "pricing inbound GET /price 502", "pricing outbound GET /stock 500",
        "stock inbound GET /stock 500");
    JsonNode stockSpan = serverSpan(trace, "stock");
    assertThat(stockSpan.path("status").asText()).isEqualTo("failed");
    assertThat(stockSpan.path("error").path("type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(stockSpan.path("error").path("message").asText()).isEqualTo("lamp is out of stock");
    assertThat(logs(trace)).contains("shop DEBUG checkout of lamp started", "pricing DEBUG pricing lamp",
        "stock DEBUG looking up the stock of lamp", "stock ERROR stock lookup failed",
        "pricing WARN stock answered 500", "shop WARN pricing failed: stock failed");
    assertThat(triggerServices(trace)).contains("stock");
  }

  @Test
  void anErrorInTheOpenTelemetrySdkServiceYieldsTheWholeTrace() throws Exception {
    String traceId = newTraceId();

    assertThat(checkout("chair", "pricing", traceId).statusCode()).isEqualTo(502);

    JsonNode trace = awaitWhole(traceId);
    assertThat(exchanges(trace)).containsExactlyInAnyOrder("shop inbound GET /checkout 502",
        "shop outbound GET /price 500", "pricing inbound GET /price 500", "pricing outbound GET /stock 200",
        "stock inbound GET /stock 200");
    assertThat(serverSpan(trace, "pricing").path("error").path("message").asText()).isEqualTo("no price for chair");
    assertThat(logs(trace)).contains("pricing ERROR pricing failed", "stock INFO chair in stock: 7");
    assertThat(triggerServices(trace)).contains("pricing").doesNotContain("stock");
  }

  @Test
  void anErrorInTheMintaroServiceAtTheRootYieldsTheWholeTrace() throws Exception {
    String ok = newTraceId();
    assertThat(checkout("book", "none", ok).statusCode()).isEqualTo(200);
    String traceId = newTraceId();

    assertThat(checkout("desk", "shop", traceId).statusCode()).isEqualTo(500);

    JsonNode trace = awaitWhole(traceId);
    assertThat(exchanges(trace)).containsExactlyInAnyOrder("shop inbound GET /checkout 500",
        "shop outbound GET /price 200", "pricing inbound GET /price 200", "pricing outbound GET /stock 200",
        "stock inbound GET /stock 200");
    assertThat(serverSpan(trace, "shop").path("error").path("message").asText()).isEqualTo("the shop refused desk");
    assertThat(logs(trace)).contains("pricing INFO priced desk at 12 with 7 in stock", "stock INFO desk in stock: 7");
    assertThat(triggerServices(trace)).containsOnly("shop");
    assertThat(api("/api/traces/" + ok)).as("a successful checkout, made before, never arrives").isNull();
  }

  @Test
  void everySpansParentIsInTheTraceAcrossTheThreeKindsOfInstrumentation() throws Exception {
    String traceId = newTraceId();
    checkout("lamp", "stock", traceId);

    JsonNode trace = awaitWhole(traceId);
    Set<String> ids = new HashSet<>();
    trace.path("spans").forEach(s -> ids.add(s.path("spanId").asText()));
    List<String> roots = new ArrayList<>();
    for (JsonNode s : trace.path("spans")) {
      if (s.path("parentSpanId").isNull() || s.path("parentSpanId").asText().isEmpty()) {
        roots.add(s.path("service").asText() + " " + s.path("name").asText());
      } else {
        assertThat(ids).as("parent of %s", s).contains(s.path("parentSpanId").asText());
      }
    }
    // the test's own request named only the trace, so shop's server span is the one root
    assertThat(roots).containsExactly("shop GET /checkout");
    // stock's server span is a child of pricing's client span, which is a child of pricing's server span
    JsonNode pricingClient = find(trace.path("spans"), s -> s.path("service").asText().equals("pricing")
        && s.path("kind").asText().equals("client"));
    assertThat(serverSpan(trace, "stock").path("parentSpanId").asText()).isEqualTo(pricingClient.path("spanId").asText());
    assertThat(pricingClient.path("parentSpanId").asText()).isEqualTo(serverSpan(trace, "pricing").path("spanId").asText());
  }

  // --- helpers ------------------------------------------------------------------------------

  /** Jars of Mintaro or OpenTelemetry, and other modules' classes (this module's tests stay). */
  private static boolean isTracingLibrary(String classPathEntry) {
    String entry = classPathEntry.replace('\\', '/');
    return entry.contains("/io/mintaro/") || entry.contains("/io/opentelemetry/")
        || (entry.endsWith("/target/classes") && !entry.contains("mintaro-it-otel"));
  }

  private static HttpResponse<String> checkout(String item, String fail, String traceId) throws Exception {
    return user.send(HttpRequest.newBuilder(URI.create(shop.url() + "/checkout?item=" + item + "&fail=" + fail))
        .header("X-Mintaro-Trace", traceId).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The trace once complete with the server spans and inbound exchanges of all three services. */
  private static JsonNode awaitWhole(String traceId) throws Exception {
    JsonNode trace = awaitTrace(traceId, t -> t.path("complete").asBoolean() && t.path("messages").size() >= 5
        && services(t).containsAll(List.of("shop", "pricing", "stock")) && finishedServerSpans(t) >= 3);
    assertThat(trace).as("trace %s at the collector", traceId).isNotNull();
    assertThat(services(trace)).as("%s", trace).containsExactlyInAnyOrder("shop", "pricing", "stock");
    assertThat(trace.path("complete").asBoolean()).as("%s", trace).isTrue();
    assertThat(finishedServerSpans(trace)).as("%s", trace).isEqualTo(3);
    return trace;
  }

  private static List<String> services(JsonNode trace) {
    List<String> out = new ArrayList<>();
    trace.path("services").forEach(n -> out.add(n.asText()));
    return out;
  }

  private static long finishedServerSpans(JsonNode trace) {
    long n = 0;
    for (JsonNode s : trace.path("spans")) {
      n += s.path("kind").asText().equals("server") && !s.path("status").asText().equals("started") ? 1 : 0;
    }
    return n;
  }

  private static List<String> exchanges(JsonNode trace) {
    List<String> out = new ArrayList<>();
    trace.path("messages").forEach(m -> out.add(m.path("service").asText() + " " + m.path("direction").asText() + " "
        + m.path("method").asText() + " " + URI.create(m.path("url").asText()).getPath() + " " + m.path("status").asInt()));
    return out;
  }

  private static List<String> logs(JsonNode trace) {
    List<String> out = new ArrayList<>();
    trace.path("logs").forEach(l -> out.add(l.path("service").asText() + " " + l.path("level").asText() + " "
        + l.path("message").asText()));
    return out;
  }

  private static Set<String> triggerServices(JsonNode trace) {
    Set<String> out = new HashSet<>();
    trace.path("triggers").forEach(t -> out.add(t.path("service").asText()));
    return out;
  }

  private static JsonNode serverSpan(JsonNode trace, String service) {
    return find(trace.path("spans"), s -> s.path("service").asText().equals(service)
        && s.path("kind").asText().equals("server"));
  }

  private static JsonNode find(JsonNode array, Predicate<JsonNode> test) {
    for (JsonNode n : array) {
      if (test.test(n)) {
        return n;
      }
    }
    throw new AssertionError("nothing matches in " + array);
  }

  private static JsonNode api(String pathAndQuery) throws Exception {
    HttpResponse<String> response = user.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + collector.port() + pathAndQuery)).header("Authorization", "Bearer " + API_KEY)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return null;
    }
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode awaitTrace(String traceId, Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = api("/api/traces/" + traceId);
      if (last != null && done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    return last;
  }

  private static void awaitServices(String... names) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode services = api("/api/services");
      Set<String> connected = new HashSet<>();
      services.path("services").forEach(s -> {
        if (s.path("agents").asInt() > 0) {
          connected.add(s.path("name").asText());
        }
      });
      if (connected.containsAll(List.of(names))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not every service's agent connected: " + api("/api/services"));
  }

  private static String newTraceId() {
    return String.format("%016x%016x", ThreadLocalRandom.current().nextLong() | 1, ThreadLocalRandom.current().nextLong());
  }
}
