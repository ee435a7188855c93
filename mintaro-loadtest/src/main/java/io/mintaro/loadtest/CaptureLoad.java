package io.mintaro.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.demo.DemoOptions;
import io.mintaro.demo.DemoServices;
import io.mintaro.testkit.DemoStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Completeness and latency of capture under sustained load: the three demo services
 * (frontend → orders → payments, each with its own SDK and agent) in this JVM, the collector in
 * its own JVM on loopback, and an open-loop generator sending {@code --rate} requests per second
 * for {@code --seconds}. Every 100th request is {@code mode=fail} (payments answers 500, an ERROR
 * line), carrying a trace id chosen here, so exactly 1% fail; the others succeed (no random
 * faults, no slow requests). Then each error trace is read from the collector's API until it is
 * complete with the exchanges, finished spans and logs of all three services, and
 * {@code completedAtMs − triggeredAtMs} is taken, as mintaro-it's CaptureMeasurement does.
 */
final class CaptureLoad {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CaptureLoad() {}

  static void run(Map<String, String> a) throws Exception {
    String collector = LoadMain.require(a, "collector");
    String api = LoadMain.require(a, "api");
    String stats = LoadMain.require(a, "stats");
    String key = LoadMain.require(a, "api-key");
    double rate = Double.parseDouble(LoadMain.get(a, "rate", "200"));
    int seconds = Integer.parseInt(LoadMain.get(a, "seconds", "60"));
    int errorEvery = Integer.parseInt(LoadMain.get(a, "error-every", "100"));
    Path out = Path.of(LoadMain.require(a, "out"));
    // as the demo's logback.xml: every level recorded by Mintaro, WARN and above on the console
    Services.configureLogback(new io.mintaro.logback.MintaroAppender(), ch.qos.logback.classic.Level.TRACE);

    HttpClient user = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).executor(Executors.newFixedThreadPool(8)).build();
    try (DemoServices services = DemoServices.start(DemoOptions.create()
        .collector(collector, key)
        .randomFaults(0, 0))) {
      awaitConnected(services);
      // warm-up: 5 s at the same rate, not measured
      runLoad(services, user, rate, 5, 0, new ArrayList<>(), new ConcurrentHashMap<>());
      Thread.sleep(2000);
      post(user, stats + "/reset", null);

      List<String> errorIds = Collections.synchronizedList(new ArrayList<>());
      Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
      long t0 = System.nanoTime();
      long sent = runLoad(services, user, rate, seconds, errorEvery, errorIds, statuses);
      double elapsed = (System.nanoTime() - t0) / 1e9;

      List<Long> latencies = new ArrayList<>();
      int complete = 0;
      int stored = 0;
      List<String> incomplete = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      for (String id : errorIds) {
        JsonNode t = null;
        while (System.nanoTime() < deadline) {
          t = get(user, api + "/api/traces/" + id, key);
          if (t != null && DemoStack.wholeStory(t)) {
            break;
          }
          Thread.sleep(50);
        }
        if (t != null) {
          stored++;
        }
        if (DemoStack.wholeStory(t)) {
          complete++;
        } else {
          incomplete.add(id);
        }
        if (t != null && t.hasNonNull("completedAtMs") && t.hasNonNull("triggeredAtMs")) {
          latencies.add(t.path("completedAtMs").asLong() - t.path("triggeredAtMs").asLong());
        }
      }
      JsonNode relay = get(user, stats + "/stats", null);
      Collections.sort(latencies);

      ObjectNode o = JSON.createObjectNode();
      o.put("benchmark", "capture");
      o.put("generator", "open-loop Java HttpClient.sendAsync at a fixed rate, in the services' JVM");
      o.put("ratePerSecond", rate);
      o.put("seconds", seconds);
      o.put("elapsedSeconds", elapsed);
      o.put("requestsSent", sent);
      ObjectNode st = o.putObject("responseStatuses");
      statuses.forEach((k, v) -> st.put(String.valueOf(k), v.get()));
      o.put("errorTraces", errorIds.size());
      o.put("stored", stored);
      o.put("completeWithAllThreeServices", complete);
      o.put("completeFraction", errorIds.isEmpty() ? 0 : (double) complete / errorIds.size());
      o.put("errorToStoredMsP50", percentile(latencies, 50));
      o.put("errorToStoredMsP99", percentile(latencies, 99));
      o.put("errorToStoredMsMax", latencies.isEmpty() ? -1 : latencies.get(latencies.size() - 1));
      o.put("bytesToCollector", relay == null ? -1 : relay.path("upstreamBytes").asLong());
      o.put("bytesPerErrorTrace", relay == null || errorIds.isEmpty() ? -1 : relay.path("upstreamBytes").asLong() / errorIds.size());
      ArrayNode inc = o.putArray("incompleteTraceIds");
      incomplete.stream().limit(20).forEach(inc::add);
      String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json);
      System.out.println(json);
    }
    System.exit(0);
  }

  private static long runLoad(DemoServices services, HttpClient user, double rate, int seconds, int errorEvery,
      List<String> errorIds, Map<Integer, AtomicLong> statuses) throws Exception {
    long total = Math.round(rate * seconds);
    long periodNanos = (long) (1e9 / rate);
    AtomicLong n = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor();
    tick.scheduleAtFixedRate(() -> {
      long i = n.incrementAndGet();
      if (i > total) {
        return;
      }
      boolean fail = errorEvery > 0 && i % errorEvery == 0;
      HttpRequest.Builder req = HttpRequest.newBuilder(services.checkoutUri(fail ? "item=err" + i + "&mode=fail" : "item=book" + i))
          .timeout(Duration.ofSeconds(10)).GET();
      if (fail) {
        String id = String.format("%016x%016x", ThreadLocalRandom.current().nextLong() | 1, ThreadLocalRandom.current().nextLong());
        errorIds.add(id);
        req.header("X-Mintaro-Trace", id);
      }
      inFlight.incrementAndGet();
      user.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
        int code = e != null ? -1 : r.statusCode();
        statuses.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
        inFlight.decrementAndGet();
      });
    }, 0, periodNanos, TimeUnit.NANOSECONDS);
    while (n.get() < total) {
      Thread.sleep(20);
    }
    tick.shutdownNow();
    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    return Math.min(n.get(), total);
  }

  private static void awaitConnected(DemoServices s) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (s.frontend().sdk().stats().connected() && s.orders().sdk().stats().connected()
          && s.payments().sdk().stats().connected()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("agents did not connect within 15 s");
  }

  private static JsonNode get(HttpClient http, String url, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  private static void post(HttpClient http, String url, String key) throws Exception {
    http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
