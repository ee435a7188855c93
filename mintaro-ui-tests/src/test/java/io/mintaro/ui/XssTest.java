package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * Bodies and log lines are written by whoever calls the monitored services. The request
 * {@code /checkout?item=<img src=x onerror=alert(1)>} puts markup into a log line, a request body
 * and a URL; span event names and attributes come from application code with such data in them.
 * The UI must show it as text.
 */
class XssTest extends UiTest {

  @Test
  void markup_in_a_log_line_and_a_body_renders_as_text() {
    open("/traces/" + stack.xssTrace, "trace");

    WebElement line = driver.findElement(By.id("logs")).findElements(By.cssSelector(".log-line")).stream()
        .filter(l -> l.getText().contains("checkout started")).findFirst().orElseThrow();
    assertThat(line.findElement(By.cssSelector(".log-msg")).getText())
        .isEqualTo("checkout started for item=" + UiStack.XSS + " mode=fail");
    assertThat(line.findElements(By.tagName("img"))).isEmpty();

    // the frontend's outbound exchange carries it in its JSON body
    all(By.cssSelector("#waterfall .span-row[data-service=frontend]")).get(1).click();
    WebElement body = visible(By.cssSelector("#span-details .exchange[data-direction=outbound] .request pre.body"));
    assertThat(body.getText()).contains("\"item\": \"" + UiStack.XSS + "\"");

    // nowhere in the page did markup from the data become an element, and nothing ran
    assertThat(js("return document.querySelectorAll('img, iframe, object, embed').length")).isEqualTo(0L);
    assertThat(js("return document.querySelectorAll('script').length")).isEqualTo(1L);
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
  }

  @Test
  void markup_in_span_event_names_and_attributes_renders_as_text() throws Exception {
    String markup = "<script>alert(2)</script>";
    Synthetic.Trace t = Synthetic.build(Synthetic.Call.of("cart", "GET", "/cart", 3), System.currentTimeMillis() * 1000 - 20_000_000L, 1000);
    com.fasterxml.jackson.databind.node.ObjectNode span = SpanEventsTest.span(t, "cart", t.rootSpanId());
    SpanEventsTest.event(span, span.get("startUs").asLong() + 1_000, UiStack.XSS).putObject("attributes")
        .put(markup, "\"><img src=x onerror=alert(3)>");
    new FakeAgents(stack.base, UiStack.API_KEY).send(java.util.List.of(t));
    stack.awaitTrace(t.traceId(), tr -> tr.at("/spans/0/events").size() == 1, java.time.Duration.ofSeconds(10));

    open("/traces/" + t.traceId(), "trace");
    WebElement marker = driver.findElement(By.cssSelector("#waterfall .event-marker"));
    assertThat(marker.getAttribute("data-event-name")).isEqualTo(UiStack.XSS);
    assertThat(marker.getAttribute("title")).startsWith(UiStack.XSS + " · +")
        .endsWith("\n" + markup + "=\"><img src=x onerror=alert(3)>");
    // the root is selected on load: its events list shows the same text
    WebElement row = driver.findElement(By.cssSelector("#span-events tr.span-event"));
    assertThat(row.findElement(By.cssSelector(".event-name")).getText()).isEqualTo(UiStack.XSS);
    assertThat(row.findElement(By.cssSelector(".event-attributes")).getText())
        .isEqualTo(markup + "=\"><img src=x onerror=alert(3)>");

    assertThat(js("return document.querySelectorAll('img, iframe, object, embed').length")).isEqualTo(0L);
    assertThat(js("return document.querySelectorAll('script').length")).isEqualTo(1L);
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
  }
}
