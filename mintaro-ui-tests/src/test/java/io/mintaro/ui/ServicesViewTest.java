package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The services views, on a collector of their own: checkout runs two processes of 2.4.1 and one of
 * 2.5.0, and had a process of 2.3.0 that stopped an hour ago; one of its processes triggered a trace
 * and counted 40 more occurrences, and two report their recorders. Payments runs one process.
 */
class ServicesViewTest {
  static final String KEY = "services-ui-key-3b9a";
  static final String TRACE = "5e1f0c2d3b4a59687a8b9c0d1e2f3a4b";

  static Path dir;
  static Collector collector;

  @BeforeAll
  static void start() throws Exception {
    if (!Browser.available()) {
      return;
    }
    dir = Files.createTempDirectory("mintaro-ui-services-");
    // A process of checkout that stopped an hour ago: registered, then silent.
    String gone;
    try (Collector earlier = start(dir)) {
      gone = new FakeAgents(earlier.url(), KEY).register("checkout", "2.3.0");
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("mintaro.db"));
        PreparedStatement ps = db.prepareStatement("UPDATE agents SET last_seen_at_ms = ? WHERE agent_id = ?")) {
      ps.setLong(1, System.currentTimeMillis() - 3_600_000);
      ps.setString(2, gone);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }

    collector = start(dir);
    FakeAgents agents = new FakeAgents(collector.url(), KEY);
    String first = agents.register("checkout", "2.4.1");
    String second = agents.register("checkout", "2.4.1");
    agents.register("checkout", "2.5.0");
    agents.register("payments", "1.0");

    long now = System.currentTimeMillis();
    ObjectNode batch = FakeAgents.JSON.createObjectNode().put("agentId", first);
    batch.putArray("triggers").addObject().put("traceId", TRACE).put("kind", "error")
        .put("reason", "HTTP 500 POST /checkout").put("atMs", now);
    batch.putArray("counted").addObject().put("kind", "error").put("endpoint", "GET /price").put("problem", "HTTP 503")
        .put("more", 40).put("lastAtMs", now);
    agents.post("/agent/v1/batches", batch);

    agents.poll(first, FakeAgents.JSON.createObjectNode().put("bufferBytes", 64L << 20).put("historyMs", 4200)
        .put("retentionShort", true).put("triggersReported", 1).put("triggersCounted", 40).put("triggersDropped", 3));
    agents.poll(second, FakeAgents.JSON.createObjectNode().put("bufferBytes", 64L << 20).put("historyMs", 9000)
        .put("retentionShort", false).put("triggersDropped", 2));
    awaitStats(agents, 2);
  }

  /** Polls are held for a minute, and agents count as connected two poll timeouts after: the test has time. */
  static Collector start(Path dir) {
    return Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0).dbPath(dir.resolve("mintaro.db"))
        .apiKey(KEY).pollTimeoutMs(60_000).build());
  }

  /** Until the polls carrying stats have reached the collector. */
  static void awaitStats(FakeAgents agents, int reporting) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      JsonNode detail = agents.get("/api/services/checkout");
      if (detail.at("/stats/agentsReporting").asInt() == reporting) {
        return;
      }
      assertThat(System.nanoTime() - deadline).as("stats of %d agents: %s", reporting, detail).isNegative();
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  @BeforeEach
  void requireChromium() {
    Browser.requireChromium();
  }

  @Test
  void the_services_page_shows_versions_connected_agents_and_counts_and_opens_a_service() {
    try (Browser.Session session = Browser.start()) {
      ChromeDriver driver = session.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
      wait.pollingEvery(Duration.ofMillis(50));
      driver.get(collector.url() + "/login?next=%2F");
      awaitView(wait, "login");
      driver.findElement(By.id("api-key")).sendKeys(KEY);
      driver.findElement(By.id("sign-in")).click();
      awaitView(wait, "dashboard");

      driver.findElement(By.id("nav-services")).click();
      awaitView(wait, "services");
      assertThat(path(driver)).isEqualTo("/services");
      assertThat(driver.findElement(By.id("nav-services")).getAttribute("class")).contains("active");
      assertThat(driver.findElements(By.cssSelector("#services thead th")).stream().map(WebElement::getText).toList())
          .containsExactly("NAME", "VERSIONS", "AGENTS", "LAST SEEN", "TRIGGERS", "ERRORS", "STORED");

      WebElement checkout = row(driver, "checkout");
      assertThat(checkout.findElements(By.cssSelector(".versions .version")).stream().map(WebElement::getText)
          .toList()).containsExactly("2.4.1 ×2", "2.5.0 ×1", "2.3.0 ×0");
      assertThat(cell(checkout, "agents")).isEqualTo("3 / 4");
      assertThat(cell(checkout, "last-seen")).matches("just now|\\d+s ago");
      assertThat(cell(checkout, "triggers")).isEqualTo("1");
      assertThat(cell(checkout, "errors")).isEqualTo("1");
      assertThat(cell(checkout, "stored")).isEqualTo("1");
      WebElement payments = row(driver, "payments");
      assertThat(payments.findElement(By.cssSelector(".versions")).getText()).isEqualTo("1.0 ×1");
      assertThat(cell(payments, "agents")).isEqualTo("1 / 1");
      assertThat(cell(payments, "triggers")).isEqualTo("0");

      checkout.findElement(By.cssSelector("td.agents")).click();
      awaitView(wait, "service");
      assertThat(path(driver)).isEqualTo("/services/checkout");
      assertThat(driver.findElement(By.id("service-agents")).getText()).isEqualTo("3 / 4 agents connected");
      assertThat(driver.findElement(By.id("activity-totals")).getText())
          .isEqualTo("1 trigger · 1 error · 1 stored · 40 counted, per hour");

      // The chart: a bar per hour of the last 24 (the first one partly), one of them the trigger's.
      List<WebElement> bars = driver.findElements(By.cssSelector("#activity-chart svg rect.bar"));
      assertThat(bars).hasSizeBetween(24, 25);
      assertThat(bars.stream().mapToLong(b -> Long.parseLong(b.getAttribute("data-value"))).sum()).isEqualTo(1);
      WebElement triggered = bars.stream().filter(b -> b.getAttribute("data-value").equals("1")).findFirst()
          .orElseThrow();
      assertThat(Double.parseDouble(triggered.getAttribute("height"))).isPositive();
      assertThat(triggered.findElement(By.tagName("title")).getAttribute("textContent")).endsWith(": 1 trigger");
      driver.findElement(By.cssSelector("button.seg-counted")).click();
      wait.until(d -> d.findElements(By.cssSelector("#activity-chart rect.bar-counted")).size() == bars.size());
      assertThat(driver.findElements(By.cssSelector("#activity-chart rect.bar-counted")).stream()
          .mapToLong(b -> Long.parseLong(b.getAttribute("data-value"))).sum()).isEqualTo(40);
      assertThat(path(driver)).isEqualTo("/services/checkout?series=counted");

      List<WebElement> agentRows = driver.findElements(By.cssSelector("#agents tr.agent-row"));
      assertThat(agentRows).hasSize(4);
      assertThat(agentRows.stream().map(r -> cell(r, "version") + " " + cell(r, "status")).sorted().toList())
          .containsExactly("2.3.0 gone", "2.4.1 connected", "2.4.1 connected", "2.5.0 connected");
      assertThat(agentRows.stream().map(r -> cell(r, "dropped")).sorted().toList()).containsExactly("2", "3", "–", "–");
      WebElement shortOne = agentRows.stream().filter(r -> cell(r, "dropped").equals("3")).findFirst().orElseThrow();
      assertThat(cell(shortOne, "history")).isEqualTo("4.20 s short");

      assertThat(driver.findElement(By.id("rec-agents")).getText()).isEqualTo("2");
      assertThat(driver.findElement(By.id("rec-dropped")).getText()).isEqualTo("5");
      assertThat(driver.findElement(By.id("rec-short")).getText()).isEqualTo("1 agent");
      assertThat(driver.findElement(By.id("rec-history")).getText()).isEqualTo("4.20 s");

      driver.findElement(By.id("back-to-services")).click();
      awaitView(wait, "services");
      assertThat(path(driver)).isEqualTo("/services");
    }
  }

  static void awaitView(WebDriverWait wait, String view) {
    wait.until(d -> view.equals(((JavascriptExecutor) d).executeScript("return window.__mintaroView")));
  }

  static String path(WebDriver driver) {
    return (String) ((JavascriptExecutor) driver).executeScript("return location.pathname + location.search");
  }

  static WebElement row(WebDriver driver, String service) {
    List<WebElement> rows = driver.findElements(By.cssSelector("#services tr.service-row[data-service=" + service + "]"));
    assertThat(rows).as("a row of %s", service).hasSize(1);
    return rows.get(0);
  }

  static String cell(WebElement row, String cls) {
    return row.findElement(By.cssSelector("td." + cls)).getText();
  }
}
