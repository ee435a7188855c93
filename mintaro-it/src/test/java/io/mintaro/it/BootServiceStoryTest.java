package io.mintaro.it;

import static io.mintaro.it.WholeStoryTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * orders is a Spring Boot application with an embedded database, instrumented by the starter
 * alone. In a failing request's trace its part of the story sits next to the other services':
 * the SQL it ran, its RestClient call to payments, its log lines (once each), and the exception
 * its {@code @ExceptionHandler} turned into a 502.
 */
class BootServiceStoryTest extends StackTest {

  @Test
  void a_failed_payment_shows_orders_sql_its_rest_client_exchange_its_logs_and_the_handled_exception() throws Exception {
    String traceId = Stack.newTraceId();

    HttpResponse<String> response = stack.checkout("item=atlas&mode=fail", traceId);

    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode trace = stack.awaitTrace(traceId,
        t -> Stack.wholeStory(t) && sqlSpans(t).size() >= 5,
        Duration.ofSeconds(15));
    assertThat(trace).as("trace %s at the collector", traceId).isNotNull();
    assertThat(stack.api("/api/traces?status=all&q=atlas&limit=50").path("traces")).hasSize(1);

    // the server span failed with the exception the handler resolved, naming payments' answer
    JsonNode server = find(trace.path("spans"), s -> s.path("service").asText().equals("orders")
        && s.path("kind").asText().equals("server"));
    assertThat(server.path("name").asText()).isEqualTo("POST /orders");
    assertThat(server.path("status").asText()).isEqualTo("failed");
    assertThat(server.path("error").path("type").asText()).isEqualTo("io.mintaro.demo.orders.PaymentFailedException");
    assertThat(server.path("handledErrors")).hasSize(1);
    JsonNode handled = server.path("handledErrors").get(0);
    assertThat(handled.path("type").asText()).isEqualTo("io.mintaro.demo.orders.PaymentFailedException");
    assertThat(handled.path("message").asText()).contains("payments answered 500", "card declined");
    assertThat(handled.path("stack").asText()).contains("OrdersController");

    // every statement, in order, as a client span of orders' request, literals out of the text
    List<JsonNode> sql = sqlSpans(trace);
    List<String> names = new ArrayList<>();
    sql.forEach(s -> names.add(s.path("name").asText()));
    assertThat(names).containsExactly("SELECT item", "MERGE item", "UPDATE item", "INSERT orders", "UPDATE orders");
    Map<String, JsonNode> spans = byId(trace.path("spans"));
    for (JsonNode s : sql) {
      assertThat(s.path("service").asText()).isEqualTo("orders");
      assertThat(s.path("status").asText()).isEqualTo("succeeded");
      assertThat(s.path("attributes").path("db.system.name").asText()).isEqualTo("h2database");
      assertThat(s.path("attributes").path("db.namespace").asText()).startsWith("orders");
      assertThat(s.path("attributes").path("db.query.text").asText()).doesNotContain("atlas", "PENDING", "12.5");
      assertThat(ancestors(s, spans)).contains(server.path("spanId").asText());
    }
    assertThat(sql.get(3).path("attributes").path("db.query.text").asText())
        .isEqualTo("INSERT INTO orders (id, item, quantity, amount, status) VALUES (?, ?, ?, ?, ?)");
    assertThat(sql.get(3).path("attributes").path("db.response.affected_rows").asText()).isEqualTo("1");
    assertThat(sql.get(0).path("attributes").path("db.response.returned_rows").asText()).isEqualTo("0");
    // the first four run in @Traced @Transactional reserve(), the last after payments answered
    JsonNode reserve = find(trace.path("spans"), s -> s.path("name").asText().equals("reserve-stock"));
    assertThat(reserve.path("parentSpanId").asText()).isEqualTo(server.path("spanId").asText());
    for (JsonNode s : sql.subList(0, 4)) {
      assertThat(s.path("parentSpanId").asText()).isEqualTo(reserve.path("spanId").asText());
    }

    // the RestClient exchange with payments, recorded by the starter's interceptor
    JsonNode call = find(trace.path("messages"), m -> m.path("service").asText().equals("orders")
        && m.path("direction").asText().equals("outbound"));
    assertThat(call.path("method").asText()).isEqualTo("POST");
    assertThat(call.path("url").asText()).endsWith("/payments");
    assertThat(call.path("status").asInt()).isEqualTo(500);
    assertThat(call.path("requestBody").asText()).contains("\"orderId\"", "\"mode\":\"fail\"", "[REDACTED]")
        .doesNotContain("tok_4242");
    assertThat(call.path("responseBody").asText()).contains("card declined");
    assertThat(header(call.path("requestHeaders"), "traceparent")).contains(traceId);
    JsonNode client = spans.get(call.path("spanId").asText());
    assertThat(ancestors(client, spans)).contains(server.path("spanId").asText());
    assertThat(sql.get(4).path("startUs").asLong()).isGreaterThanOrEqualTo(client.path("endUs").asLong());

    // orders' own lines and Spring MVC's, each recorded once although logback.xml and the starter
    // both know the Mintaro appender
    List<String> lines = new ArrayList<>();
    trace.path("logs").forEach(l -> {
      if (l.path("service").asText().equals("orders")) {
        lines.add(l.path("level").asText() + " " + l.path("message").asText());
      }
    });
    assertThat(lines).filteredOn(l -> l.startsWith("DEBUG creating order ")).hasSize(1);
    assertThat(lines).filteredOn(l -> l.startsWith("DEBUG atlas is not in the catalogue yet")).hasSize(1);
    assertThat(lines).filteredOn(l -> l.matches("DEBUG payments answered 500 for order \\w+")).hasSize(1);
    assertThat(lines).filteredOn(l -> l.matches("WARN payment for order \\w+ failed with 500")).hasSize(1);
    assertThat(lines).filteredOn(l -> l.startsWith("DEBUG Completed 502 BAD_GATEWAY")).hasSize(1);
    assertThat(lines).noneMatch(l -> l.startsWith("ERROR"));
    for (JsonNode l : trace.path("logs")) {
      assertThat(spans).as("the span of log line %s", l).containsKey(l.path("spanId").asText());
    }
  }

  private static List<JsonNode> sqlSpans(JsonNode trace) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode s : trace.path("spans")) {
      if (s.path("kind").asText().equals("client") && s.path("attributes").has("db.query.text")) {
        out.add(s);
      }
    }
    return out;
  }

  private static Map<String, JsonNode> byId(JsonNode spans) {
    Map<String, JsonNode> out = new HashMap<>();
    spans.forEach(s -> out.put(s.path("spanId").asText(), s));
    return out;
  }

  private static List<String> ancestors(JsonNode span, Map<String, JsonNode> spans) {
    List<String> out = new ArrayList<>();
    JsonNode s = spans.get(span.path("parentSpanId").asText());
    while (s != null && out.size() < 50) {
      out.add(s.path("spanId").asText());
      s = spans.get(s.path("parentSpanId").asText());
    }
    return out;
  }

  private static String header(JsonNode headers, String name) {
    for (JsonNode h : headers) {
      if (h.get(0).asText().equalsIgnoreCase(name)) {
        return h.get(1).asText();
      }
    }
    return null;
  }
}
