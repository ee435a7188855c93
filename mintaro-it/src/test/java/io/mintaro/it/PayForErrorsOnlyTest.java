package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.MintaroStats;
import io.mintaro.demo.DemoService;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Successful, fast requests send nothing to the collector beyond registration and heartbeats. */
class PayForErrorsOnlyTest extends StackTest {
  /** One long poll: request line, headers and a small JSON body, with room to spare. */
  static final long POLL_BYTES_ALLOWANCE = 600;

  @Test
  void a_thousand_successful_requests_cost_only_heartbeats_on_the_wire() throws Exception {
    warmUp();
    stack.relay.resetCounts();
    long started = System.nanoTime();

    // Paced over ~11 s, so that every agent's long poll (5 s here) renews at least twice.
    for (int i = 0; i < 1000; i++) {
      HttpResponse<String> response = stack.checkout("item=ok" + i, null);
      assertThat(response.statusCode()).isEqualTo(200);
      long due = started + (i + 1) * 11_000_000L;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
      }
    }

    double seconds = (System.nanoTime() - started) / 1e9;
    long bytes = stack.relay.upstreamBytes();
    // Each of the three agents holds one long poll (5 s here) open at a time.
    long polls = 3 * ((long) Math.ceil(seconds / 5.0) + 1);
    System.out.printf("[measure] 1000 successful requests in %.1f s: %d bytes to the collector (%d polls allowed)%n",
        seconds, bytes, polls);
    assertThat(bytes).isLessThanOrEqualTo(polls * POLL_BYTES_ALLOWANCE);
    assertThat(bytes).as("the heartbeats themselves are on the wire").isPositive();
    for (DemoService s : List.of(stack.services.frontend(), stack.services.orders(), stack.services.payments())) {
      MintaroStats stats = s.sdk().stats();
      assertThat(stats.batchesSent()).as("batches sent by %s", s.name()).isZero();
      assertThat(stats.triggersReported()).isZero();
    }
    assertThat(stack.api("/api/traces?status=all").path("traces")).isEmpty();
  }

  @Test
  void one_error_trace_costs_a_few_kilobytes() throws Exception {
    warmUp();
    String traceId = Stack.newTraceId();
    stack.relay.resetCounts();

    stack.checkout("item=measured&mode=fail", traceId);
    JsonNode trace = stack.awaitTrace(traceId,
        Stack::wholeStory,
        Duration.ofSeconds(15));
    Thread.sleep(300); // let late batches land

    assertThat(trace).isNotNull();
    long bytes = stack.relay.upstreamBytes();
    System.out.printf("[measure] one error trace: %d bytes to the collector%n", bytes);
    assertThat(bytes).isBetween(1_000L, 64_000L);
  }

  private static void warmUp() throws Exception {
    stack.checkout("item=warmup", null);
  }
}
