package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The charts, on a data set of known times: the ledger service failed once 150 minutes ago and
 * three times 30 minutes ago, taking 3 ms each, and served one slow request of 30 ms.
 */
class ChartsTest extends UiTest {
  static final Path DASHBOARD_SHOT = Path.of("../docs/screenshots/dashboard-charts.png");
  static final Path GROUP_SHOT = Path.of("../docs/screenshots/group-histogram.png");
  static final String GROUP = "java.io.IOException in POST /entries";
  static final long MINUTE_US = 60_000_000L;

  @BeforeAll
  static void seed() throws Exception {
    if (!Browser.available()) {
      return;
    }
    long nowUs = System.currentTimeMillis() * 1000;
    Synthetic.Call failing = Synthetic.Call.of("ledger", "POST", "/entries", 3).failing("java.io.IOException");
    List<Synthetic.Trace> traces = new ArrayList<>();
    traces.add(Synthetic.build(failing, nowUs - 150 * MINUTE_US, 10_000));
    for (int i = 2; i >= 0; i--) {
      traces.add(Synthetic.build(failing, nowUs - 30 * MINUTE_US - i * 1_000_000L, 10_000));
    }
    traces.add(Synthetic.build(Synthetic.Call.of("ledger", "POST", "/entries", 30), nowUs - 10 * MINUTE_US, 20));
    new FakeAgents(stack.base, UiStack.API_KEY).send(traces);
  }

  @Test
  void each_dashboard_group_charts_its_occurrences_over_the_range() throws Exception {
    open("/?service=ledger&range=24h", "dashboard");
    WebElement row = groupRow(GROUP);
    // 24 bars of an hour each: one failure 2½ hours ago, three half an hour ago.
    List<Long> bars = values(row.findElements(By.cssSelector("td.trend svg rect.bar")));
    assertThat(bars).hasSize(24);
    assertThat(bars.get(21)).isEqualTo(1);
    assertThat(bars.get(23)).isEqualTo(3);
    assertThat(bars.stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
    WebElement highest = row.findElements(By.cssSelector("td.trend svg rect.bar")).get(23);
    WebElement lower = row.findElements(By.cssSelector("td.trend svg rect.bar")).get(21);
    assertThat(Double.parseDouble(highest.getAttribute("height")))
        .isGreaterThan(Double.parseDouble(lower.getAttribute("height")));
    assertThat(highest.findElement(By.tagName("title")).getAttribute("textContent")).endsWith(": 3 occurrences");
    assertThat(all(By.cssSelector("#groups thead th")).stream().map(WebElement::getText).toList())
        .contains("OVER TIME");
    screenshot(DASHBOARD_SHOT, 1400, 700);
  }

  @Test
  void a_groups_histogram_marks_its_first_and_last_occurrence() throws Exception {
    open("/?service=ledger&range=24h", "dashboard");
    groupRow(GROUP).findElement(By.cssSelector("a.group-link")).click();
    awaitView("group");
    // 60 bars around the two hours between the first and the last occurrence (6 minutes either side).
    List<WebElement> rects = all(By.cssSelector("#group-histogram svg rect.bar"));
    List<Long> bars = values(rects);
    assertThat(bars).hasSize(60);
    assertThat(bars.get(2)).isEqualTo(1);
    assertThat(bars.get(57)).isEqualTo(3);
    assertThat(bars.stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
    double first = x(By.cssSelector("#group-histogram .mark.first-seen line"));
    double last = x(By.cssSelector("#group-histogram .mark.last-seen line"));
    assertThat(first).isBetween(x(rects.get(2)), x(rects.get(3)));
    assertThat(last).isBetween(x(rects.get(57)), x(rects.get(58)));
    assertThat(driver.findElement(By.cssSelector("#group-histogram .mark.first-seen text")).getText())
        .isEqualTo("first seen");
    screenshot(GROUP_SHOT, 1400, 900);
  }

  @Test
  void the_slow_view_shows_each_endpoints_latency_distribution() {
    open("/slow?service=ledger", "slow");
    WebElement row = driver.findElement(By.cssSelector("#slow-endpoints tr[data-service=ledger][data-name='POST /entries']"));
    List<WebElement> rects = row.findElements(By.cssSelector("td.latency svg rect.bar"));
    List<Long> bins = values(rects);
    // 1-2-5 bins from 1 ms to 50 s, and one for 50 s or more: four requests of 3 ms, one of 30 ms.
    assertThat(bins).hasSize(16);
    assertThat(bins.get(2)).isEqualTo(4);
    assertThat(bins.get(5)).isEqualTo(1);
    assertThat(bins.stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
    assertThat(rects.get(2).findElement(By.tagName("title")).getAttribute("textContent")).isEqualTo("2.00 ms–5.00 ms: 4");
  }

  static WebElement groupRow(String name) {
    for (WebElement row : all(By.cssSelector("#groups tr.group-row"))) {
      if (row.findElement(By.cssSelector("a.group-link")).getText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no group " + name);
  }

  static List<Long> values(List<WebElement> bars) {
    return bars.stream().map(b -> Long.parseLong(b.getAttribute("data-value"))).toList();
  }

  static double x(By line) {
    return Double.parseDouble(driver.findElement(line).getAttribute("x1"));
  }

  static double x(WebElement rect) {
    return Double.parseDouble(rect.getAttribute("x"));
  }
}
