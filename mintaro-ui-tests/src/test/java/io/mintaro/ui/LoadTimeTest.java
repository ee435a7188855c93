package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Load time of the UI over a store of 10,000 traces (a few dozen groups, a week of history),
 * measured in Chromium. Prints the figures; asserts only that the views render.
 *
 * <p>The traces go through the real collector's agent protocol, posted by fake agents of ten
 * services. The times are {@code performance.now()} marks the app sets once a view's DOM is built
 * ({@code __mintaroRendered}) and after the next frame ({@code __mintaroPainted}), both counted
 * from the start of the navigation (a full page load each time). The median of several loads.
 */
class LoadTimeTest {
  static final int TRACES = Integer.getInteger("mintaro.loadtest.traces", 10_000);
  static final int RUNS = 7;
  static final int CHUNK = 500;
  static final String KEY = "load-test-key-9d2a";

  static final String[][] ENDPOINTS = {
      {"web", "GET", "/checkout"}, {"web", "GET", "/account"}, {"web", "POST", "/cart"},
      {"api", "POST", "/orders"}, {"api", "GET", "/orders/{id}"}, {"api", "GET", "/search"},
      {"auth", "POST", "/token"}, {"users", "GET", "/users/{id}"}, {"payments", "POST", "/payments"},
      {"payments", "POST", "/refunds"}, {"inventory", "GET", "/stock"}, {"inventory", "POST", "/reserve"},
      {"search", "GET", "/query"}, {"billing", "POST", "/invoices"}, {"email", "POST", "/send"},
  };
  static final String[] EXCEPTIONS = {
      "java.lang.IllegalStateException", "java.lang.NullPointerException", "java.sql.SQLTransientConnectionException",
      "java.util.concurrent.TimeoutException", "java.io.UncheckedIOException", "java.lang.IllegalArgumentException",
  };

  @Test
  void dashboard_and_trace_view_over_ten_thousand_traces() throws Exception {
    Browser.requireChromium();
    Path dir = Files.createTempDirectory("mintaro-load-");
    try (Collector collector = Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0)
        .dbPath(dir.resolve("mintaro.db")).apiKey(KEY).answerTimeoutMs(500).build())) {
      String base = "http://127.0.0.1:" + collector.port();
      long fillStart = System.nanoTime();
      Filled filled = fill(base);
      double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
      JsonNode groups = get(base, "/api/groups?pageSize=50");
      assertThat(groups.path("total").asInt()).isGreaterThan(20);
      JsonNode traces = get(base, "/api/traces?limit=1");
      long stored = traces.path("total").asLong(-1);

      double apiGroups = medianMs(() -> get(base, "/api/groups?pageSize=50"));
      double apiTrace = medianMs(() -> get(base, "/api/traces/" + filled.typical));
      double apiHeavy = medianMs(() -> get(base, "/api/traces/" + filled.heavy));

      try (Browser.Session session = Browser.start()) {
        ChromeDriver driver = session.driver();
        driver.get(base + "/login");
        await(driver, "login");
        driver.findElement(By.id("api-key")).sendKeys(KEY);
        driver.findElement(By.id("sign-in")).click();
        await(driver, "dashboard");

        double[][] dashboard = measure(driver, base + "/", "dashboard");
        List<WebElement> rows = driver.findElements(By.cssSelector("#groups tbody tr"));
        assertThat(rows).hasSize(Math.min(50, groups.path("total").asInt()));
        if (groups.path("total").asInt() > 50) {
          // server-side pages: the next page holds the rest
          driver.findElement(By.cssSelector(".pager-next")).click();
          new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/?page=2"));
          await(driver, "dashboard");
          assertThat(driver.findElements(By.cssSelector("#groups tbody tr")))
              .hasSize(Math.min(50, groups.path("total").asInt() - 50));
        }
        double[][] trace = measure(driver, base + "/traces/" + filled.typical, "trace");
        double[][] heavy = measure(driver, base + "/traces/" + filled.heavy, "trace");
        int heavySpans = driver.findElements(By.cssSelector("#waterfall .span-row")).size();
        int heavyLogs = driver.findElements(By.cssSelector("#logs .log-line")).size();

        System.out.printf(Locale.ROOT, "%n=== Mintaro UI load times (Chromium %s, headless) ===%n",
            driver.getCapabilities().getBrowserVersion());
        System.out.printf(Locale.ROOT, "store: %d traces (%s stored), %d groups; filled in %.1f s%n", TRACES,
            stored < 0 ? "?" : String.valueOf(stored), groups.path("total").asInt(), fillSeconds);
        System.out.printf(Locale.ROOT, "API (median of %d, Java client): /api/groups page 1: %.1f ms; "
            + "/api/traces/{id}: %.1f ms typical, %.1f ms heavy%n", RUNS, apiGroups, apiTrace, apiHeavy);
        print("dashboard (" + rows.size() + " groups of " + groups.path("total").asInt() + ")", dashboard);
        print("trace view (" + filled.typicalSpans + " spans)", trace);
        print("trace view, heavy (" + heavySpans + " spans, " + heavyLogs + " log lines)", heavy);
        System.out.println();
      }
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  record Filled(String typical, int typicalSpans, String heavy) {
  }

  /** Posts the traces in chunks; returns a typical error trace and one heavy trace. */
  static Filled fill(String base) throws Exception {
    FakeAgents agents = new FakeAgents(base, KEY);
    Random random = new Random(42);
    // A few dozen scenarios: call chains through the services, failing somewhere or slow.
    List<Synthetic.Call> scenarios = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      int depth = 2 + random.nextInt(3);
      String[] first = ENDPOINTS[random.nextInt(3)];
      List<String[]> chain = new ArrayList<>();
      chain.add(first);
      while (chain.size() < depth) {
        String[] next = ENDPOINTS[3 + random.nextInt(ENDPOINTS.length - 3)];
        if (chain.stream().noneMatch(e -> e[0].equals(next[0]))) {
          chain.add(next);
        }
      }
      boolean slow = i % 5 == 4;
      String exception = slow ? null : EXCEPTIONS[random.nextInt(EXCEPTIONS.length)];
      Synthetic.Call call = null;
      for (int j = chain.size() - 1; j >= 0; j--) {
        String[] e = chain.get(j);
        double work = slow && j == chain.size() - 1 ? 2600 + random.nextInt(1500) : 1 + random.nextInt(20);
        Synthetic.Call c = call == null ? Synthetic.Call.of(e[0], e[1], e[2], work) : Synthetic.Call.of(e[0], e[1], e[2], work, call);
        if (j == chain.size() - 1 && exception != null) {
          c = c.failing(exception);
        }
        call = c;
      }
      scenarios.add(call);
    }
    long nowUs = System.currentTimeMillis() * 1000;
    long weekUs = 7L * 24 * 3600 * 1_000_000;
    String typical = null;
    int typicalSpans = 0;
    List<Synthetic.Trace> chunk = new ArrayList<>();
    for (int i = 0; i < TRACES - 1; i++) {
      // skewed: the first scenarios are the common ones
      int s = (int) Math.min(scenarios.size() - 1, Math.abs(random.nextGaussian()) * scenarios.size() / 2.5);
      long start = nowUs - (long) (random.nextDouble() * weekUs);
      Synthetic.Trace t = Synthetic.build(scenarios.get(s), start, 2000);
      chunk.add(t);
      if (chunk.size() == CHUNK) {
        agents.send(chunk);
        chunk.clear();
      }
      if (typical == null && t.triggerKind().equals("error")) {
        typical = t.traceId();
        typicalSpans = t.entries().values().stream().mapToInt(e -> e.path("spans").size()).sum();
      }
    }
    // One heavy trace: a fan-out of 80 calls, each calling two more services.
    Synthetic.Call[] calls = new Synthetic.Call[80];
    for (int i = 0; i < calls.length; i++) {
      String[] e = ENDPOINTS[3 + i % (ENDPOINTS.length - 3)];
      String[] f = ENDPOINTS[3 + (i + 5) % (ENDPOINTS.length - 3)];
      String[] g = ENDPOINTS[3 + (i + 7) % (ENDPOINTS.length - 3)];
      calls[i] = Synthetic.Call.of(e[0], e[1], e[2], 2, Synthetic.Call.of(f[0], f[1], f[2], 1), Synthetic.Call.of(g[0], g[1], g[2], 1));
    }
    calls[calls.length - 1] = calls[calls.length - 1].failing("java.lang.IllegalStateException");
    Synthetic.Trace heavy = Synthetic.build(Synthetic.Call.of("web", "GET", "/report", 5, calls), nowUs - 60_000_000L, 2000);
    chunk.add(heavy);
    agents.send(chunk);
    return new Filled(typical, typicalSpans, heavy.traceId());
  }

  /** Full page loads of {@code url}: {rendered[], painted[]} in ms since navigation start; one warm-up first. */
  static double[][] measure(ChromeDriver driver, String url, String view) {
    double[] rendered = new double[RUNS];
    double[] painted = new double[RUNS];
    for (int i = -1; i < RUNS; i++) {
      driver.get(url);
      await(driver, view);
      new WebDriverWait(driver, Duration.ofSeconds(20)).pollingEvery(Duration.ofMillis(20))
          .until(d -> ((JavascriptExecutor) d).executeScript("return window.__mintaroPainted") != null);
      if (i >= 0) {
        rendered[i] = ((Number) driver.executeScript("return window.__mintaroRendered")).doubleValue();
        painted[i] = ((Number) driver.executeScript("return window.__mintaroPainted")).doubleValue();
      }
    }
    return new double[][] {rendered, painted};
  }

  static void print(String what, double[][] times) {
    System.out.printf(Locale.ROOT, "%-52s rendered %6.0f ms, painted %6.0f ms (median of %d; min %.0f, max %.0f)%n",
        what, median(times[0]), median(times[1]), RUNS, Arrays.stream(times[1]).min().orElse(0),
        Arrays.stream(times[1]).max().orElse(0));
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  interface Call {
    void run() throws Exception;
  }

  static double medianMs(Call call) throws Exception {
    call.run();
    double[] times = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t = System.nanoTime();
      call.run();
      times[i] = (System.nanoTime() - t) / 1e6;
    }
    return median(times);
  }

  static final HttpClient HTTP = HttpClient.newHttpClient();

  static JsonNode get(String base, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
    return FakeAgents.JSON.readTree(r.body());
  }

  static void await(ChromeDriver driver, String view) {
    new WebDriverWait(driver, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(20))
        .until(d -> view.equals(((JavascriptExecutor) d).executeScript("return window.__mintaroView")));
  }
}
