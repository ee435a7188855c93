package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import io.mintaro.http.ServerExchange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An application that shuts down right after an error still gets that error's trace collected. */
class ShutdownFlushTest {
  @TempDir
  Path dir;
  Collector collector;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    collector = Collector.start(CollectorConfig.builder().port(0).dbPath(dir.resolve("s.db"))
        .apiKey(Stack.API_KEY).pollTimeoutMs(5_000).answerTimeoutMs(1_000).build());
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  @Test
  void closing_with_a_flush_timeout_sends_the_triggers_still_queued() throws Exception {
    MintaroSdk sdk = MintaroSdk.builder().service("shutting-down").collector("http://127.0.0.1:" + collector.port())
        .apiKey(Stack.API_KEY).build();
    awaitConnected(sdk);
    ServerExchange exchange = ServerExchange.start(sdk, "POST", "http://app/jobs", "/jobs", name -> null);
    String traceId = exchange.traceId();
    Mintaro.trigger("fatal: shutting down");
    exchange.status(500);
    exchange.close();

    long started = System.nanoTime();
    sdk.close(Duration.ofSeconds(5));
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(tookMs).as("bounded by the flush timeout").isLessThan(5_500);
    JsonNode trace = await(traceId);
    assertThat(trace.path("triggerReason").asText()).isEqualTo("fatal: shutting down");
    assertThat(sdk.stats().triggersReported()).isEqualTo(1);
  }

  @Test
  void closing_with_a_flush_timeout_while_the_collector_is_down_returns_within_the_timeout() {
    collector.close();
    MintaroSdk sdk = MintaroSdk.builder().service("orphan").collector("http://127.0.0.1:" + collector.port())
        .apiKey(Stack.API_KEY).build();
    ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://app/", "/", name -> null);
    Mintaro.trigger("nobody listens");
    exchange.close();

    long started = System.nanoTime();
    sdk.close(Duration.ofMillis(300));
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(tookMs).isBetween(250L, 2_000L);
    collector = Collector.start(CollectorConfig.builder().port(0).dbPath(dir.resolve("s2.db"))
        .apiKey(Stack.API_KEY).build()); // for @AfterEach
  }

  private static void awaitConnected(MintaroSdk sdk) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!sdk.stats().connected() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sdk.stats().connected()).isTrue();
  }

  private JsonNode await(String traceId) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port()
          + "/api/traces/" + traceId)).header("Authorization", "Bearer " + Stack.API_KEY).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return Stack.JSON.readTree(r.body());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("trace " + traceId + " did not arrive");
  }
}
