package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The collector goes away and comes back: the services never notice, and capture resumes. */
class CollectorOutageTest extends StackTest {
  @Test
  void services_keep_serving_while_the_collector_is_down_and_errors_are_captured_again_after() throws Exception {
    String before = Stack.newTraceId();
    stack.checkout("item=before&mode=fail", before);
    assertThat(stack.awaitTrace(before, t -> Stack.hasAllThree(t, "logs"), Duration.ofSeconds(15))).isNotNull();

    stack.stopCollector();

    String duringOutage = Stack.newTraceId();
    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      HttpResponse<String> ok = stack.checkout("item=outage" + i, null);
      assertThat(ok.statusCode()).isEqualTo(200);
    }
    HttpResponse<String> failed = stack.checkout("item=outage-error&mode=fail", duringOutage);
    assertThat(failed.statusCode()).isEqualTo(502);
    double perRequestMs = (System.nanoTime() - started) / 1e6 / 101;
    System.out.printf("[measure] %.2f ms per request while the collector was down%n", perRequestMs);
    assertThat(stack.services.payments().sdk().stats().connected()).isFalse();

    stack.restartCollector();

    // the error that happened during the outage was kept and is delivered on reconnect
    JsonNode late = stack.awaitTrace(duringOutage, t -> Stack.hasAllThree(t, "logs"), Duration.ofSeconds(20));
    assertThat(late).as("trace from the outage").isNotNull();
    assertThat(Stack.services(late.path("logs"))).containsExactlyInAnyOrder("frontend", "orders", "payments");

    // and new errors are captured as before
    String after = Stack.newTraceId();
    stack.checkout("item=after&mode=fail", after);
    JsonNode trace = stack.awaitTrace(after, t -> Stack.hasAllThree(t, "logs"), Duration.ofSeconds(15));
    assertThat(trace).isNotNull();
    assertThat(trace.path("status").asText()).isEqualTo("error");

    // the trace stored before the outage survived the collector restart
    assertThat(stack.api("/api/traces/" + before)).isNotNull();
  }

  @Test
  void a_collector_that_accepts_but_never_answers_does_not_hold_up_the_services() throws Exception {
    stack.relay.stall(true);
    try {
      for (int i = 0; i < 50; i++) {
        String mode = i % 5 == 0 ? "fail" : "";
        HttpResponse<String> response = stack.checkout("item=hung" + i + "&mode=" + mode, Stack.newTraceId());
        assertThat(response.statusCode()).isEqualTo(mode.isEmpty() ? 200 : 502);
      }
    } finally {
      stack.relay.stall(false);
    }
  }
}
