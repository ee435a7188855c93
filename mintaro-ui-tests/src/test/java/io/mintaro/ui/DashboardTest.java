package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

class DashboardTest extends UiTest {

  @Test
  void lists_the_error_group_of_the_failing_requests_with_its_count() {
    open("/", "dashboard");
    assertThat(stack.failGroup).endsWith(" in POST /payments");

    WebElement row = groupRow(stack.failGroup);
    List<WebElement> cells = row.findElements(By.tagName("td"));
    assertThat(cells.get(1).getText()).isEqualTo("payments");
    assertThat(cells.get(2).getText()).contains("error");
    // the three failing requests and the hostile one
    assertThat(Integer.parseInt(cells.get(3).getText().replace(",", ""))).isGreaterThanOrEqualTo(UiStack.FAILURES + 1);
    assertThat(cells.get(4).findElements(By.cssSelector("svg rect.bar"))).isNotEmpty();
    assertThat(cells.get(5).getText()).matches("just now|\\d+s ago|\\d+m ago");
    assertThat(cells.get(6).getText()).isEqualTo("untriaged");
    assertThat(row.findElement(By.cssSelector(".badge-new")).getText()).endsWith("new");
    // the header row
    assertThat(all(By.cssSelector("#groups thead th")).stream().map(WebElement::getText).toList())
        .containsExactly("NAME", "SERVICE", "STATUS", "COUNT", "OVER TIME", "LAST SEEN", "TRIAGE");
  }

  @Test
  void a_group_shows_its_occurrences_and_the_traces_kept_of_them() {
    open("/", "dashboard");

    String failFigures = groupRow(stack.failGroup).findElement(By.cssSelector(".group-figures")).getText();
    assertThat(failFigures).matches("\\d[\\d,]* occurrences · \\d[\\d,]* traces kept");
    String counted = UiStack.COUNTED_PROBLEM + " in " + UiStack.COUNTED_ENDPOINT;
    WebElement row = groupRow(counted);
    assertThat(row.findElement(By.cssSelector(".group-figures")).getText())
        .isEqualTo("1,240 occurrences · 0 traces kept");
    assertThat(row.findElements(By.tagName("td")).get(3).getText()).isEqualTo("1,240");

    row.findElement(By.cssSelector("a.group-link")).click();
    assertThat(visible(By.id("group-figures")).getText()).isEqualTo("1,240 occurrences · 0 traces kept");
  }

  @Test
  void filters_are_kept_in_the_url_and_survive_a_reload() {
    open("/", "dashboard");

    new Select(driver.findElement(By.id("f-speed"))).selectByValue("slow");
    waiting().until(d -> path().contains("speed=slow"));
    awaitView("dashboard");
    assertThat(groupNames()).contains(UiStack.SLOW_GROUP).doesNotContain(stack.failGroup);

    new Select(driver.findElement(By.id("f-service"))).selectByValue("payments");
    waiting().until(d -> path().contains("service=payments"));
    awaitView("dashboard");
    new Select(driver.findElement(By.id("f-range"))).selectByValue("1h");
    waiting().until(d -> path().contains("range=1h"));
    awaitView("dashboard");

    driver.navigate().refresh();
    awaitView("dashboard");
    assertThat(path()).contains("speed=slow", "service=payments", "range=1h");
    assertThat(new Select(driver.findElement(By.id("f-speed"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("slow");
    assertThat(new Select(driver.findElement(By.id("f-service"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("payments");
    assertThat(groupNames()).contains(UiStack.SLOW_GROUP);

    new Select(driver.findElement(By.id("f-speed"))).selectByValue("fast");
    waiting().until(d -> path().contains("speed=fast"));
    awaitView("dashboard");
    assertThat(groupNames()).contains(stack.failGroup).doesNotContain(UiStack.SLOW_GROUP);

    new Select(driver.findElement(By.id("f-status"))).selectByValue("ok");
    waiting().until(d -> path().contains("status=ok"));
    awaitView("dashboard");
    assertThat(groupNames()).doesNotContain(stack.failGroup);
  }

  @Test
  void the_search_box_filters_by_text_and_jumps_to_a_trace_id() {
    open("/", "dashboard");
    WebElement search = driver.findElement(By.id("search-input"));
    search.sendKeys("hourglass", Keys.ENTER);
    waiting().until(d -> path().equals("/?q=hourglass"));
    awaitView("dashboard");
    assertThat(groupNames()).containsExactly(UiStack.SLOW_GROUP);

    String trace = stack.failedTraces.get(1);
    search = driver.findElement(By.id("search-input"));
    search.clear();
    search.sendKeys(trace.toUpperCase(), Keys.ENTER);
    awaitView("trace");
    assertThat(path()).isEqualTo("/traces/" + trace);
    assertThat(driver.findElement(By.id("trace-id")).getText()).isEqualTo(trace);
  }

  @Test
  void a_group_row_opens_the_group_and_its_traces_open_the_trace_view() {
    open("/", "dashboard");
    groupRow(stack.failGroup).findElement(By.cssSelector("td.num")).click();
    awaitView("group");
    assertThat(path()).startsWith("/groups/");
    assertThat(driver.findElement(By.id("group-name")).getText()).startsWith(stack.failGroup);

    List<WebElement> rows = all(By.cssSelector("#group-traces tbody tr"));
    assertThat(rows).hasSizeGreaterThanOrEqualTo(UiStack.FAILURES + 1);
    List<String> ids = rows.stream().map(r -> r.getAttribute("data-trace-id")).toList();
    assertThat(ids).containsAll(stack.failedTraces).contains(stack.xssTrace);

    rows.get(0).findElement(By.cssSelector("a.trace-link")).click();
    awaitView("trace");
    assertThat(path()).startsWith("/traces/" + ids.get(0));

    driver.navigate().back();
    awaitView("group");
    driver.findElement(By.id("back-to-errors")).click();
    awaitView("dashboard");
    assertThat(path()).isEqualTo("/");
  }

  static WebElement groupRow(String name) {
    for (WebElement row : all(By.cssSelector("#groups tbody tr"))) {
      if (row.findElement(By.cssSelector("a.group-link")).getText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no group row named " + name + " among " + groupNames());
  }

  static List<String> groupNames() {
    return all(By.cssSelector("#groups a.group-link")).stream().map(WebElement::getText).toList();
  }
}
