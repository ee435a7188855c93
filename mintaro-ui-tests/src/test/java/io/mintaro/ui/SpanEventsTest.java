package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;

/**
 * Span events (protocol v1 {@code events}): a marker on the span's bar at each event's time, with
 * name and attributes as its tooltip, and the list of the selected span's events.
 */
class SpanEventsTest extends UiTest {
  static Synthetic.Trace trace;
  static String cartSpan;

  @BeforeAll
  static void postTraceWithEvents() throws Exception {
    if (!Browser.available()) {
      return;
    }
    trace = Synthetic.build(Synthetic.Call.of("cart", "GET", "/cart", 4, Synthetic.Call.of("prices", "GET", "/prices", 2)),
        System.currentTimeMillis() * 1000 - 30_000_000L, 1000);
    cartSpan = trace.spanIds().get("cart GET /cart");
    ObjectNode span = span(trace, "cart", cartSpan);
    long start = span.get("startUs").asLong();
    // Sent out of order: the UI shows them in time order.
    event(span, start + 3_000, "retry").putObject("attributes").put("attempt", 2).put("final", true);
    event(span, start + 1_500, "cache miss").putObject("attributes").put("cache.key", "user:42").put("hits", "3");
    new FakeAgents(stack.base, UiStack.API_KEY).send(List.of(trace));
    stack.awaitTrace(trace.traceId(), t -> t.path("spans").size() == 3
        && t.path("spans").findValues("events").stream().anyMatch(e -> e.size() == 2), Duration.ofSeconds(10));
  }

  @Test
  void each_event_is_a_marker_on_its_span_bar_at_its_time_with_name_and_attributes_as_tooltip() {
    open("/traces/" + trace.traceId(), "trace");
    WebElement row = row(cartSpan);
    List<WebElement> markers = row.findElements(By.cssSelector(".event-marker"));
    assertThat(markers).hasSize(2);
    assertThat(markers).extracting(m -> m.getAttribute("data-event-name")).containsExactly("cache miss", "retry");
    assertThat(markers.get(0).getAttribute("title")).startsWith("cache miss · +")
        .contains("\ncache.key=user:42").contains("\nhits=3");
    assertThat(markers.get(1).getAttribute("title")).contains("\nattempt=2").contains("\nfinal=true");

    // On the bar, in time order: 1.5 ms and 3 ms into a span that lasts longer than that.
    Rectangle bar = row.findElement(By.cssSelector(".span-bar")).getRect();
    double first = centre(markers.get(0));
    double second = centre(markers.get(1));
    assertThat(first).isBetween((double) bar.getX(), (double) bar.getX() + bar.getWidth());
    assertThat(second).isBetween(first, (double) bar.getX() + bar.getWidth());
    long startUs = span(trace, "cart", cartSpan).get("startUs").asLong();
    long endUs = span(trace, "cart", cartSpan).get("endUs").asLong();
    // the markers' distance is the events' distance at the bar's scale
    assertThat(second - first).isCloseTo(bar.getWidth() * 1_500.0 / (endUs - startUs), org.assertj.core.data.Offset.offset(2.0));

    // Spans without events have no marker.
    assertThat(row(trace.spanIds().get("prices GET /prices")).findElements(By.cssSelector(".event-marker"))).isEmpty();
  }

  @Test
  void the_selected_span_lists_its_events_with_time_from_the_span_start_name_and_attributes() {
    open("/traces/" + trace.traceId(), "trace");
    WebElement row = row(cartSpan);
    row.click();
    waiting().until(d -> "true".equals(row.getAttribute("aria-selected")));

    WebElement details = driver.findElement(By.id("span-details"));
    assertThat(details.getText()).contains("EVENTS (2)");
    List<WebElement> events = details.findElements(By.cssSelector("#span-events tbody tr.span-event"));
    assertThat(events).hasSize(2);
    assertThat(cells(events.get(0))).containsExactly("+1.50 ms", "cache miss", "cache.key=user:42 hits=3");
    assertThat(cells(events.get(1))).containsExactly("+3.00 ms", "retry", "attempt=2 final=true");
    assertThat(events.get(0).findElement(By.cssSelector(".event-time")).getAttribute("title")).contains("in the trace");

    // A span without events shows no events list.
    row(trace.spanIds().get("prices GET /prices")).click();
    waiting().until(d -> d.findElement(By.id("span-title")).getText().equals("GET /prices"));
    assertThat(driver.findElements(By.id("span-events"))).isEmpty();
  }

  static List<String> cells(WebElement tr) {
    return tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
  }

  static double centre(WebElement e) {
    Rectangle r = e.getRect();
    return r.getX() + r.getWidth() / 2.0;
  }

  static WebElement row(String spanId) {
    return driver.findElement(By.cssSelector("#waterfall .span-row[data-span-id='" + spanId + "']"));
  }

  /** The span {@code spanId} in {@code service}'s entry of the trace. */
  static ObjectNode span(Synthetic.Trace t, String service, String spanId) {
    for (var s : t.entries().get(service).withArray("spans")) {
      if (s.path("spanId").asText().equals(spanId)) {
        return (ObjectNode) s;
      }
    }
    throw new AssertionError("no span " + spanId + " of " + service);
  }

  static ObjectNode event(ObjectNode span, long timeUs, String name) {
    return span.withArray("events").addObject().put("timeUs", timeUs).put("name", name);
  }
}
