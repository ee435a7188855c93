package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Under concurrent load, no record of one request ever appears in another request's trace. */
class TraceIsolationTest extends StackTest {
  static final int REQUESTS = 60;
  static final Pattern ORDER = Pattern.compile("order ([0-9a-f]{8})");

  @Test
  void concurrent_failing_requests_each_get_only_their_own_logs() throws Exception {
    Map<String, String> itemByTrace = new ConcurrentHashMap<>();
    ExecutorService users = Executors.newFixedThreadPool(8);
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String traceId = Stack.newTraceId();
      String item = "item" + i + "x";
      itemByTrace.put(traceId, item);
      // every third request fails, the others succeed alongside on the same threads
      String mode = i % 3 == 0 ? "fail" : "";
      statuses.add(users.submit(() -> {
        HttpResponse<String> r = stack.checkout("item=" + item + "&mode=" + mode, traceId);
        return r.statusCode();
      }));
    }
    for (Future<Integer> s : statuses) {
      assertThat(s.get()).isIn(200, 502);
    }
    users.shutdown();

    int checked = 0;
    for (Map.Entry<String, String> e : itemByTrace.entrySet()) {
      int index = Integer.parseInt(e.getValue().replaceAll("\\D", ""));
      if (index % 3 != 0) {
        continue;
      }
      JsonNode trace = stack.awaitTrace(e.getKey(),
          Stack::wholeStory,
          Duration.ofSeconds(20));
      assertThat(trace).as("trace %s", e.getKey()).isNotNull();
      String orderId = null;
      for (JsonNode log : trace.path("logs")) {
        String message = log.path("message").asText();
        Matcher items = Pattern.compile("item(\\d+)x").matcher(message);
        while (items.find()) {
          assertThat(items.group()).as("item named in a log line of trace %s", e.getKey()).isEqualTo(e.getValue());
        }
        Matcher order = ORDER.matcher(message);
        while (order.find()) {
          if (orderId == null) {
            orderId = order.group(1);
          }
          assertThat(order.group(1)).as("order named in a log line of trace %s", e.getKey()).isEqualTo(orderId);
        }
      }
      assertThat(orderId).isNotNull();
      for (JsonNode m : trace.path("messages")) {
        assertThat(m.path("spanId").asText()).isNotEmpty();
      }
      checked++;
    }
    assertThat(checked).isEqualTo(REQUESTS / 3);
  }
}
