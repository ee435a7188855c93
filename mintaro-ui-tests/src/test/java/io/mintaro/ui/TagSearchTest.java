package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Tags in the search box (decision 38), on a collector of its own: {@code env:prod} selects the
 * error groups of the traces tagged so, the other words still search text, and a trace's page
 * lists its tags.
 */
class TagSearchTest {
  static final String KEY = "tags-ui-key-38a1";
  static Collector collector;
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    if (!Browser.available()) {
      return;
    }
    dir = Files.createTempDirectory("mintaro-ui-tags-");
    collector = Collector.start(CollectorConfig.builder().host("127.0.0.1").port(0).dbPath(dir.resolve("mintaro.db"))
        .apiKey(KEY).pollTimeoutMs(1_000).answerTimeoutMs(300).build());
    long startUs = System.currentTimeMillis() * 1000 - 10_000_000L;
    Synthetic.Trace prod = tagged(Synthetic.build(Synthetic.Call.of("shop", "POST", "/orders", 2)
        .failing("java.lang.IllegalStateException"), startUs, 1000), "prod");
    Synthetic.Trace staging = tagged(Synthetic.build(Synthetic.Call.of("shop", "POST", "/refunds", 2)
        .failing("java.lang.IllegalArgumentException"), startUs + 1000, 1000), "staging");
    new FakeAgents(collector.url(), KEY).send(List.of(prod, staging));
  }

  /** The trace with {@code env} on every span. */
  static Synthetic.Trace tagged(Synthetic.Trace t, String env) {
    for (ObjectNode entry : t.entries().values()) {
      for (JsonNode span : entry.get("spans")) {
        ((ObjectNode) span.get("attributes")).put("env", env);
      }
    }
    return t;
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
  void typing_env_prod_lists_only_the_groups_of_traces_tagged_so_and_a_trace_shows_its_tags() {
    try (Browser.Session session = Browser.start()) {
      ChromeDriver driver = session.driver();
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
      wait.pollingEvery(Duration.ofMillis(100));
      driver.get(collector.url() + "/login");
      wait.until(d -> "login".equals(view(d)));
      driver.findElement(By.id("api-key")).sendKeys(KEY);
      driver.findElement(By.id("sign-in")).click();
      wait.until(d -> "dashboard".equals(view(d)));
      assertThat(groupNames(driver)).containsExactlyInAnyOrder(
          "java.lang.IllegalStateException in POST /orders", "java.lang.IllegalArgumentException in POST /refunds");

      driver.findElement(By.id("search-input")).sendKeys("env:prod", Keys.ENTER);
      wait.until(d -> d.getCurrentUrl().endsWith("/?q=env%3Aprod") && "dashboard".equals(view(d))
          && groupNames(d).size() == 1);
      assertThat(groupNames(driver)).containsExactly("java.lang.IllegalStateException in POST /orders");

      // A tag and a word: both must match.
      WebElement search = driver.findElement(By.id("search-input"));
      search.clear();
      search.sendKeys("env:staging refunds", Keys.ENTER);
      wait.until(d -> d.getCurrentUrl().contains("refunds") && "dashboard".equals(view(d))
          && groupNames(d).equals(List.of("java.lang.IllegalArgumentException in POST /refunds")));
      search = driver.findElement(By.id("search-input"));
      search.clear();
      search.sendKeys("env:staging orders", Keys.ENTER);
      wait.until(d -> d.getCurrentUrl().contains("orders") && "dashboard".equals(view(d))
          && !d.findElements(By.id("groups-empty")).isEmpty());

      search = driver.findElement(By.id("search-input"));
      search.clear();
      search.sendKeys("env:prod", Keys.ENTER);
      wait.until(d -> groupNames(d).size() == 1);
      driver.findElement(By.cssSelector("#groups a.group-link")).click();
      wait.until(d -> "group".equals(view(d)));
      wait.until(d -> !d.findElements(By.cssSelector("#group-traces a.trace-link")).isEmpty());
      driver.findElement(By.cssSelector("#group-traces a.trace-link")).click();
      wait.until(d -> "trace".equals(view(d)));
      List<String> tags = driver.findElements(By.cssSelector("#trace-tags .tag")).stream()
          .map(WebElement::getText).toList();
      assertThat(tags).contains("env:prod", "service:shop", "http.method:POST");

      // A tag on the trace page searches for it.
      driver.findElements(By.cssSelector("#trace-tags a.tag")).stream()
          .filter(a -> a.getText().equals("env:prod")).findFirst().orElseThrow().click();
      wait.until(d -> "dashboard".equals(view(d)) && groupNames(d).size() == 1);
      assertThat(driver.findElement(By.id("search-input")).getAttribute("value")).isEqualTo("env:prod");
    }
  }

  static Object view(org.openqa.selenium.WebDriver d) {
    return ((JavascriptExecutor) d).executeScript("return window.__mintaroView");
  }

  static List<String> groupNames(org.openqa.selenium.WebDriver d) {
    return d.findElements(By.cssSelector("#groups a.group-link")).stream().map(WebElement::getText).toList();
  }
}
