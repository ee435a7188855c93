package io.mintaro.it.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintaro.MintaroSdk;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import io.mintaro.it.spring.inventory.InventoryApplication;
import io.mintaro.it.spring.shop.ShopApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Spring Boot 4 services, each with the starter and one Mintaro property (the collector URL,
 * which carries the key), and the real collector: a checkout that fails in the shop's
 * {@code @ExceptionHandler} after the inventory refused it arrives at the collector whole.
 */
class SpringBootStarterTest {
  private static final String API_KEY = "it-spring-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static Collector collector;
  static ConfigurableApplicationContext inventory;
  static ConfigurableApplicationContext shop;
  static final HttpClient user = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws Exception {
    collector = Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0).dbPath(dir.resolve("mintaro.db"))
        .apiKey(API_KEY).pollTimeoutMs(5_000).answerTimeoutMs(2_000).lateWindowMs(10_000).build());
    String mintaroCollector = "--mintaro.collector=http://" + API_KEY + "@127.0.0.1:" + collector.port();
    inventory = new SpringApplicationBuilder(InventoryApplication.class)
        .run("--spring.application.name=inventory", "--server.port=0", mintaroCollector);
    shop = new SpringApplicationBuilder(ShopApplication.class)
        .run("--spring.application.name=shop", "--server.port=0", mintaroCollector,
            "--inventory.url=http://127.0.0.1:" + port(inventory));
    awaitConnected(inventory.getBean(MintaroSdk.class));
    awaitConnected(shop.getBean(MintaroSdk.class));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {shop, inventory, collector}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the rest still closes
      }
    }
  }

  @Test
  void aCheckoutThatFailsInAnExceptionHandlerArrivesWholeWithItsCallsLogsAndSql() throws Exception {
    String traceId = newTraceId();

    HttpResponse<String> response = checkout("lamp", traceId);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("checkout failed: {\"error\":\"lamp is out of stock\"}");
    JsonNode trace = awaitTrace(traceId, t -> t.path("complete").asBoolean() && t.path("messages").size() == 3
        && finishedSpans(t) >= 4);
    assertThat(trace).as("trace %s at the collector", traceId).isNotNull();
    assertThat(trace.path("status").asText()).isEqualTo("error");
    assertThat(texts(trace.path("services"))).containsExactlyInAnyOrder("shop", "inventory");
    assertThat(trace.path("triggers").get(0).path("service").asText()).isEqualTo("shop");
    assertThat(trace.path("triggers").get(0).path("reason").asText()).contains("500").contains("/checkout");

    // every HTTP exchange, both sides of the call, with their bodies
    List<String> exchanges = new ArrayList<>();
    trace.path("messages").forEach(m -> exchanges.add(m.path("service").asText() + " " + m.path("direction").asText()
        + " " + m.path("method").asText() + " " + URI.create(m.path("url").asText()).getPath() + " "
        + m.path("status").asInt()));
    assertThat(exchanges).containsExactlyInAnyOrder("shop inbound GET /checkout 500",
        "shop outbound POST /reservations 409", "inventory inbound POST /reservations 409");
    JsonNode call = find(trace.path("messages"), m -> m.path("direction").asText().equals("outbound"));
    assertThat(call.path("requestBody").asText()).isEqualTo("{\"item\":\"lamp\",\"qty\":1}");
    assertThat(call.path("responseBody").asText()).isEqualTo("{\"error\":\"lamp is out of stock\"}");

    // the handled exception, on the shop's server span
    JsonNode root = find(trace.path("spans"), s -> s.path("service").asText().equals("shop")
        && s.path("kind").asText().equals("server"));
    assertThat(root.path("name").asText()).isEqualTo("GET /checkout");
    assertThat(root.path("handledErrors").toString()).contains("HttpClientErrorException");

    // the SQL statement, as a client span of the request
    JsonNode sql = find(trace.path("spans"), s -> s.path("attributes").has("db.query.text"));
    assertThat(sql.path("service").asText()).isEqualTo("shop");
    assertThat(sql.path("attributes").path("db.query.text").asText())
        .isEqualTo("SELECT price_cents FROM items WHERE name = ?");
    assertThat(sql.path("parentSpanId").asText()).isEqualTo(root.path("spanId").asText());

    // the logs of both services
    List<String> logs = new ArrayList<>();
    trace.path("logs").forEach(l -> logs.add(l.path("service").asText() + " " + l.path("level").asText() + " "
        + l.path("message").asText()));
    assertThat(logs).contains("shop INFO checkout of lamp", "inventory INFO reserving lamp",
        "shop WARN the inventory refused: 409 CONFLICT");
  }

  @Test
  void aCheckoutThatSucceedsLeavesNothingAtTheCollector() throws Exception {
    String ok = newTraceId();
    assertThat(checkout("book", ok).statusCode()).isEqualTo(200);
    String failed = newTraceId();
    assertThat(checkout("lamp", failed).statusCode()).isEqualTo(500);

    assertThat(awaitTrace(failed, t -> t.path("complete").asBoolean())).as("the failed one arrives").isNotNull();
    assertThat(api("/api/traces/" + ok)).as("the successful one, made before it, never does").isNull();
  }

  private static HttpResponse<String> checkout(String item, String traceId) throws Exception {
    return user.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(shop) + "/checkout?item=" + item))
        .header("X-Mintaro-Trace", traceId).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
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

  private static long finishedSpans(JsonNode trace) {
    long n = 0;
    for (JsonNode s : trace.path("spans")) {
      n += s.path("status").asText().equals("started") ? 0 : 1;
    }
    return n;
  }

  private static JsonNode find(JsonNode array, Predicate<JsonNode> test) {
    for (JsonNode n : array) {
      if (test.test(n)) {
        return n;
      }
    }
    throw new AssertionError("nothing matches in " + array);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String newTraceId() {
    return String.format("%016x%016x", ThreadLocalRandom.current().nextLong() | 1, ThreadLocalRandom.current().nextLong());
  }

  private static int port(ConfigurableApplicationContext app) {
    return ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  private static void awaitConnected(MintaroSdk sdk) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!sdk.stats().connected()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(sdk.service() + "'s agent did not register: " + sdk.stats());
      }
      Thread.sleep(20);
    }
  }
}
