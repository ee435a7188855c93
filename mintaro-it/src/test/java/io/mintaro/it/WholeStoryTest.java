package io.mintaro.it;

import static io.mintaro.it.Stack.hasAllThree;
import static io.mintaro.it.Stack.services;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When a request fails or is slow anywhere, the collector holds that request's whole story:
 * every hop's HTTP exchange and every service's logs, DEBUG included.
 */
class WholeStoryTest extends StackTest {
  @Test
  void an_error_in_the_third_service_yields_one_trace_with_every_hop_and_the_debug_logs_of_all_three() throws Exception {
    String traceId = Stack.newTraceId();

    HttpResponse<String> response = stack.checkout("item=teapot&mode=fail", traceId);

    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode trace = stack.awaitTrace(traceId,
        Stack::wholeStory,
        Duration.ofSeconds(15));
    assertThat(trace).as("trace %s at the collector", traceId).isNotNull();
    assertThat(trace.path("status").asText()).isEqualTo("error");
    assertThat(textValues(trace.path("services"))).containsExactlyInAnyOrder("frontend", "orders", "payments");

    // every hop: inbound at each service, outbound frontend->orders and orders->payments
    assertThat(trace.path("messages")).hasSize(5);
    assertThat(messages(trace, "inbound")).containsExactlyInAnyOrder(
        "frontend GET /checkout 502", "orders POST /orders 502", "payments POST /payments 500");
    assertThat(messages(trace, "outbound")).containsExactlyInAnyOrder(
        "frontend POST /orders 502", "orders POST /payments 500");

    // DEBUG logs of all three services, and the ERROR with its stack trace
    List<String> debug = new ArrayList<>();
    trace.path("logs").forEach(l -> {
      if (l.path("level").asText().equals("DEBUG")) {
        debug.add(l.path("service").asText());
      }
    });
    assertThat(debug).contains("frontend", "orders", "payments");
    JsonNode error = find(trace.path("logs"), l -> l.path("level").asText().equals("ERROR"));
    assertThat(error.path("service").asText()).isEqualTo("payments");
    assertThat(error.path("error").path("stack").asText()).contains("card declined", "PaymentsServlet");

    // secrets never reach the collector
    String all = trace.toString();
    assertThat(all).doesNotContain("hunter2", "user-session-token");
    assertThat(all).contains("[REDACTED]");

    // exactly one trace for this request
    JsonNode list = stack.api("/api/traces?status=all&q=teapot&limit=50");
    assertThat(list.path("traces")).hasSize(1);
    assertThat(list.path("traces").get(0).path("traceId").asText()).isEqualTo(traceId);
  }

  @Test
  void a_slow_request_yields_the_same_whole_story() throws Exception {
    String traceId = Stack.newTraceId();

    HttpResponse<String> response = stack.checkout("item=hourglass&mode=slow", traceId);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode trace = stack.awaitTrace(traceId,
        Stack::wholeStory,
        Duration.ofSeconds(15));
    assertThat(trace).isNotNull();
    assertThat(trace.path("status").asText()).isEqualTo("slow");
    assertThat(trace.path("triggerReason").asText()).contains("slow");
    assertThat(trace.path("messages")).hasSize(5);
    assertThat(services(trace.path("logs"))).containsExactlyInAnyOrder("frontend", "orders", "payments");
    assertThat(trace.path("durationMs").asDouble()).isGreaterThanOrEqualTo(1200);
  }

  @Test
  void a_callee_that_never_answered_is_still_retrieved() throws Exception {
    String traceId = Stack.newTraceId();

    HttpResponse<String> response = stack.checkout("item=anchor&mode=hang", traceId);

    // orders gave up on payments after 2 s; payments is still working on it
    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode trace = stack.awaitTrace(traceId,
        t -> hasAllThree(t, "logs") && contains(t.path("logs"), "bank answered at last")
            && messages(t, "inbound").contains("payments POST /payments 200"),
        Duration.ofSeconds(20));
    assertThat(trace).isNotNull();
    assertThat(services(trace.path("logs"))).containsExactlyInAnyOrder("frontend", "orders", "payments");
    JsonNode timeout = find(trace.path("messages"),
        m -> m.path("direction").asText().equals("outbound") && m.path("service").asText().equals("orders"));
    assertThat(timeout.path("status").asInt()).isZero();
    assertThat(timeout.path("error").asText()).contains("Timeout");
    assertThat(contains(trace.path("logs"), "bank connection stalled")).isTrue();
    // the late part: payments finished after the trace was first stored
    assertThat(messages(trace, "inbound")).contains("payments POST /payments 200");
  }

  @Test
  void malformed_and_hostile_trace_headers_start_a_new_trace_and_never_fail_the_request() throws Exception {
    String[][] headers = {
        {"traceparent", "00-zzzz-not-a-trace-01"},
        {"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"},
        {"traceparent", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
        {"traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"},
        {"traceparent", "00-" + "a".repeat(4000)},
        {"X-Mintaro-Trace", "not-hex-at-all-not-hex-at-all-xx"},
        {"X-Mintaro-Trace", "00000000000000000000000000000000"},
        {"X-Mintaro-Trace", "4bf92f3577b34da6"},
        {"X-Mintaro-Trace", "' OR 1=1; --" + "x".repeat(6000)},
        {"X-Mintaro-Caller", "../../etc/passwd"},
    };
    for (int i = 0; i < headers.length; i++) {
      String item = "malformed" + i;
      HttpResponse<String> response = stack.user.send(java.net.http.HttpRequest.newBuilder(
              stack.services.checkoutUri("item=" + item + "&mode=fail"))
          .header(headers[i][0], headers[i][1]).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("request with %s: %s", headers[i][0], headers[i][1]).isEqualTo(502);

      JsonNode found = awaitSearch(item);
      assertThat(found).as("trace for %s", item).isNotNull();
      String traceId = found.path("traceId").asText();
      assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("00000000000000000000000000000000");
      assertThat(headers[i][1].toLowerCase()).doesNotContain(traceId);
      JsonNode trace = stack.awaitTrace(traceId, t -> hasAllThree(t, "logs"), Duration.ofSeconds(15));
      assertThat(services(trace.path("logs"))).containsExactlyInAnyOrder("frontend", "orders", "payments");
    }
  }

  private static JsonNode awaitSearch(String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode list = stack.api("/api/traces?status=all&q=" + text + "&limit=5");
      if (list.path("traces").size() > 0) {
        return list.path("traces").get(0);
      }
      Thread.sleep(50);
    }
    return null;
  }

  static List<String> messages(JsonNode trace, String direction) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : trace.path("messages")) {
      if (m.path("direction").asText().equals(direction)) {
        String path = java.net.URI.create(m.path("url").asText()).getPath();
        out.add(m.path("service").asText() + " " + m.path("method").asText() + " " + path + " "
            + m.path("status").asInt());
      }
    }
    return out;
  }

  static List<String> textValues(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> p) {
    for (JsonNode n : array) {
      if (p.test(n)) {
        return n;
      }
    }
    throw new AssertionError("no entry matched in " + array);
  }

  static boolean contains(JsonNode logs, String text) {
    for (JsonNode l : logs) {
      if (l.path("message").asText().contains(text)) {
        return true;
      }
    }
    return false;
  }
}
