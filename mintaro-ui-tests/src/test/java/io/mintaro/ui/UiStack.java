package io.mintaro.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.demo.DemoOptions;
import io.mintaro.testkit.DemoStack;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The real collector (SQLite in a temp dir) and the three demo services in-process, each with its
 * own SDK and agent (a {@link DemoStack} without relay); filled once with real traces driven
 * through the demo, plus a few synthetic traces of a shape the demo does not produce.
 */
final class UiStack extends DemoStack {
  static final String API_KEY = "ui-test-key-4f1c";
  static final int FAILURES = 3;
  static final int SLOW = 2;
  static final String XSS = "<img src=x onerror=alert(1)>";
  /** The group of the slow demo requests. */
  static final String SLOW_GROUP = "slow in POST /payments";
  /** The synthetic group of the keyboard and triage tests. */
  static final String SYNTHETIC_GROUP = "java.util.concurrent.TimeoutException in GET /stock";

  private static UiStack shared;

  final Path dir;
  final String base;
  final List<String> failedTraces = new ArrayList<>();
  final List<String> slowTraces = new ArrayList<>();
  String xssTrace;
  /**
   * The group every failing demo request lands in: kind error, origin payments, endpoint POST
   * /payments ("java.lang.IllegalStateException in POST /payments", or "HTTP 500 in POST /payments"
   * while the collector takes the span's HTTP status for the problem).
   */
  /** The group of counts alone. */
  static final String COUNTED_ENDPOINT = "POST /refunds";
  static final String COUNTED_PROBLEM = "HTTP 503";
  static final long COUNTED = 1240;
  String failGroup;
  /** gateway GET /inventory → (catalog GET /items, stock GET /stock); the stock call fails. */
  Synthetic.Trace treeTrace;

  private UiStack(Path dir) throws Exception {
    super(dir.resolve("mintaro.db"), API_KEY, "127.0.0.1", false, Duration.ofMillis(100), DemoOptions.create()
        .slowThreshold(Duration.ofMillis(800))
        .slowDelay(Duration.ofMillis(1200))
        .ordersTimeout(Duration.ofMillis(3000))
        .bufferSize(8 * 1024 * 1024));
    this.dir = dir;
    this.base = apiBase();
  }

  /** The stack all UI tests share, started and filled on first use, closed when the JVM exits. */
  static synchronized UiStack shared() throws Exception {
    if (shared == null) {
      UiStack stack = start();
      try {
        stack.fill();
      } catch (Exception | Error e) {
        stack.close();
        throw e;
      }
      shared = stack;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          stack.close();
        } catch (Exception e) {
          // exiting anyway
        }
      }));
    }
    return shared;
  }

  static UiStack start() throws Exception {
    return new UiStack(Files.createTempDirectory("mintaro-ui-"));
  }

  /** Failing, slow and hostile requests through the demo; waits until each trace is whole. */
  private void fill() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(FAILURES + SLOW + 1);
    try {
      List<Future<String>> fails = new ArrayList<>();
      List<Future<String>> slows = new ArrayList<>();
      for (int i = 0; i < FAILURES; i++) {
        fails.add(pool.submit(() -> checkout("item=book&mode=fail")));
      }
      for (int i = 0; i < SLOW; i++) {
        slows.add(pool.submit(() -> checkout("item=hourglass&mode=slow")));
      }
      Future<String> xss = pool.submit(() -> checkout(
          "item=" + URLEncoder.encode(XSS, StandardCharsets.UTF_8) + "&mode=fail"));
      for (Future<String> f : fails) {
        failedTraces.add(f.get());
      }
      for (Future<String> f : slows) {
        slowTraces.add(f.get());
      }
      xssTrace = xss.get();
    } finally {
      pool.shutdownNow();
    }

    FakeAgents agents = new FakeAgents(base, API_KEY);
    long now = System.currentTimeMillis() * 1000;
    Synthetic.Call tree = Synthetic.Call.of("gateway", "GET", "/inventory", 2,
        Synthetic.Call.of("catalog", "GET", "/items", 3),
        Synthetic.Call.of("stock", "GET", "/stock", 4).failing("java.util.concurrent.TimeoutException"));
    treeTrace = Synthetic.build(tree, now - 90_000_000L, 1000);
    agents.send(List.of(treeTrace, Synthetic.build(tree, now - 60_000_000L, 1000)));
    // A flood its agent only counted: 1,240 occurrences of a group no trace was kept of.
    agents.count("payments", COUNTED_ENDPOINT, COUNTED_PROBLEM, COUNTED, System.currentTimeMillis());

    List<String> all = new ArrayList<>(failedTraces);
    all.add(xssTrace);
    for (String id : all) {
      require(id, awaitTrace(id, UiStack::wholeStory, Duration.ofSeconds(20)));
    }
    for (String id : slowTraces) {
      require(id, awaitTrace(id, t -> wholeStory(t) && "slow".equals(t.path("status").asText()), Duration.ofSeconds(20)));
    }
    for (JsonNode g : api("/api/groups?status=error&service=payments&pageSize=200").path("groups")) {
      if (g.path("endpoint").asText().equals("POST /payments") && g.path("kind").asText().equals("error")) {
        failGroup = g.path("name").asText();
      }
    }
    if (failGroup == null) {
      throw new IllegalStateException("no error group of POST /payments in payments");
    }
  }

  private static void require(String traceId, JsonNode trace) {
    if (trace == null || !wholeStory(trace)) {
      throw new IllegalStateException("trace " + traceId + " did not arrive whole: " + trace);
    }
  }

  /** Calls the frontend as a user would, with a trace id set by hand; returns that id. */
  String checkout(String query) throws IOException, InterruptedException {
    String traceId = newTraceId();
    HttpResponse<String> response = checkout(query, traceId);
    if (response.statusCode() != 200 && response.statusCode() != 502) {
      throw new IllegalStateException("checkout?" + query + " answered " + response.statusCode());
    }
    return traceId;
  }

  /** The group's fingerprint, found by name through the API. */
  String fingerprint(String groupName) throws Exception {
    JsonNode page = api("/api/groups?status=all&silenced=show&pageSize=200");
    for (JsonNode g : page.path("groups")) {
      if (g.path("name").asText().equals(groupName)) {
        return g.path("fingerprint").asText();
      }
    }
    throw new IllegalStateException("no group named " + groupName + " in " + page);
  }
}
