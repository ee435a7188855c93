package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

class TraceViewTest extends UiTest {
  static final Path SCREENSHOT = Path.of("../docs/screenshots/trace-view.png");

  @Test
  void shows_the_error_first_and_every_service_in_the_waterfall() {
    String trace = stack.failedTraces.get(0);
    open("/traces/" + trace, "trace");

    assertThat(driver.findElement(By.id("trace-name")).getText()).isEqualTo("GET /checkout");
    assertThat(driver.findElement(By.id("trace-head")).getText()).contains("error", "frontend", "orders", "payments");
    assertThat(driver.findElement(By.id("trace-trigger")).getText()).contains("error");
    WebElement error = driver.findElement(By.id("trace-error"));
    assertThat(error.findElement(By.id("error-type")).getText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.getText()).contains("card declined", "payments");
    assertThat(driver.findElement(By.id("error-stack")).getText()).contains("PaymentsServlet");

    List<WebElement> rows = all(By.cssSelector("#waterfall .span-row"));
    assertThat(rows).hasSizeGreaterThanOrEqualTo(5);
    Set<String> services = rows.stream().map(r -> r.getAttribute("data-service")).collect(Collectors.toSet());
    assertThat(services).containsExactlyInAnyOrder("frontend", "orders", "payments");
    // tree order: the root first, then deeper spans indented further
    assertThat(rows.get(0).getAttribute("data-depth")).isEqualTo("0");
    assertThat(rows.get(0).getAttribute("data-service")).isEqualTo("frontend");
    int callDepth = Integer.parseInt(spanRow("orders", "POST /payments").getAttribute("data-depth"));
    assertThat(Integer.parseInt(spanRow("payments", "POST /payments").getAttribute("data-depth")))
        .as("the payment served under the call that made it").isEqualTo(callDepth + 1);
    // bars are positioned and sized through CSSOM, relative to the trace
    String width = rows.get(0).findElement(By.cssSelector(".span-bar")).getDomAttribute("style");
    assertThat(width).contains("left: 0%").contains("width:");
    assertThat(all(By.cssSelector("#waterfall .span-row.failed"))).isNotEmpty();
    assertThat(rows.get(0).findElement(By.cssSelector(".wf-dur")).getText()).matches("[0-9.]+ (ms|s|µs)");
  }

  @Test
  void selecting_a_span_shows_its_exchanges_with_bodies_and_its_logs() throws Exception {
    String trace = stack.failedTraces.get(0);
    open("/traces/" + trace, "trace");

    WebElement payments = spanRow("payments", "POST /payments");
    payments.click();
    waiting().until(d -> "true".equals(payments.getAttribute("aria-selected")));

    WebElement details = driver.findElement(By.id("span-details"));
    assertThat(details.findElement(By.id("span-title")).getText()).isEqualTo("POST /payments");
    WebElement exchange = details.findElement(By.cssSelector(".exchange"));
    assertThat(exchange.findElement(By.cssSelector(".exchange-head")).getText()).contains("POST", "/payments", "500");
    String requestBody = exchange.findElement(By.cssSelector(".request pre.body")).getText();
    assertThat(requestBody).contains("\"orderId\"").contains("\n  \"amount\"");  // pretty-printed JSON
    assertThat(exchange.findElement(By.cssSelector(".response pre.body")).getText()).contains("card declined");
    assertThat(exchange.findElement(By.cssSelector(".request .headers-table")).getAttribute("textContent")).containsIgnoringCase("content-type");
    assertThat(details.findElement(By.id("span-logs")).getText()).contains("charging", "DEBUG");

    // Every log line of the trace, across services, with a level toggle.
    WebElement logs = driver.findElement(By.id("logs"));
    WebElement debugLine = logs.findElements(By.cssSelector(".log-line.lvl-DEBUG")).stream()
        .filter(l -> l.getText().contains("creating order")).findFirst().orElseThrow();
    assertThat(debugLine.isDisplayed()).isTrue();
    assertThat(debugLine.getText()).contains("orders", "DEBUG");
    Set<String> logServices = logs.findElements(By.cssSelector(".log-line")).stream()
        .map(l -> l.getAttribute("data-service")).collect(Collectors.toSet());
    assertThat(logServices).containsExactlyInAnyOrder("frontend", "orders", "payments");
    driver.findElement(By.cssSelector("label[for=level-DEBUG]")).click();
    waiting().until(d -> !debugLine.isDisplayed());
    assertThat(logs.findElement(By.cssSelector(".log-line.lvl-ERROR")).isDisplayed()).isTrue();
    driver.findElement(By.cssSelector("label[for=level-DEBUG]")).click();
    waiting().until(d -> debugLine.isDisplayed());

    // The selection is in the URL: a reload keeps it.
    assertThat(path()).contains("span=" + payments.getAttribute("data-span-id"));
    driver.navigate().refresh();
    awaitView("trace");
    assertThat(spanRow("payments", "POST /payments").getAttribute("aria-selected")).isEqualTo("true");

    // the trace view, selected span included, for the README
    screenshot(SCREENSHOT, 1400, 1700);
  }

  @Test
  void the_outbound_call_from_orders_shows_the_request_body_it_sent() {
    String trace = stack.failedTraces.get(1);
    open("/traces/" + trace, "trace");
    spanRow("orders", "POST /payments").click();
    WebElement exchange = visible(By.cssSelector("#span-details .exchange[data-direction=outbound]"));
    assertThat(exchange.getText()).contains("POST", "/payments", "orderId");
  }

  @Test
  void an_unfinished_span_shows_as_running_and_binary_and_truncated_bodies_are_noted() throws Exception {
    Synthetic.Trace t = Synthetic.build(Synthetic.Call.of("ledger", "GET", "/entries", 3,
        Synthetic.Call.of("archive", "GET", "/blobs", 5).failing("java.io.EOFException")), System.currentTimeMillis() * 1000 - 5_000_000L, 1000);
    // the root never finished (its process still works on it); the archive's bodies are binary and cut
    for (var span : t.entries().get("ledger").withArray("spans")) {
      if (span.path("parentSpanId").isNull()) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) span).put("status", "started").putNull("endUs");
      }
    }
    for (var m : t.entries().get("archive").withArray("messages")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("requestBody", "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB")
          .put("requestBodyEncoding", "base64").put("requestBodySize", 24)
          .put("responseBody", "{\"blob\": \"aaaaaaaa").put("responseBodySize", 70_000).put("responseBodyTruncated", true);
    }
    new FakeAgents(stack.base, UiStack.API_KEY).send(List.of(t));
    stack.awaitTrace(t.traceId(), tr -> tr.path("spans").size() == 4, java.time.Duration.ofSeconds(10));

    open("/traces/" + t.traceId(), "trace");
    WebElement root = driver.findElement(By.cssSelector("#waterfall .span-row[data-span-id='" + t.rootSpanId() + "']"));
    assertThat(root.getAttribute("class")).contains("running");
    assertThat(root.findElement(By.cssSelector(".wf-dur")).getText()).isEqualTo("running…");
    assertThat(root.findElement(By.cssSelector(".span-bar")).getAttribute("class")).contains("running");
    root.click();
    assertThat(driver.findElement(By.id("span-details")).getText()).contains("still running");

    spanRow("archive", "GET /blobs").click();
    WebElement exchange = visible(By.cssSelector("#span-details .exchange[data-direction=inbound]"));
    assertThat(exchange.findElement(By.cssSelector(".request .body-notes")).getText()).contains("Base64", "binary");
    assertThat(exchange.findElement(By.cssSelector(".request pre.body")).getText()).isEqualTo("iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB");
    assertThat(exchange.findElement(By.cssSelector(".response .body-notes")).getText()).contains("truncated", "68.4 KiB");
    assertThat(exchange.findElement(By.cssSelector(".response pre.body")).getText()).isEqualTo("{\"blob\": \"aaaaaaaa");
  }

  static WebElement spanRow(String service, String name) {
    for (WebElement row : all(By.cssSelector("#waterfall .span-row[data-service=" + service + "]"))) {
      if (row.findElement(By.cssSelector(".span-name")).getText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no span " + name + " of " + service);
  }
}
