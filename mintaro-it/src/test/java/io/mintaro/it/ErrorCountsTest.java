package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.MintaroStats;
import io.mintaro.demo.DemoService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error reaches the collector's figures, collected or only counted: a flood of one error
 * is kept in part and counted whole, once per request however many services saw it fail, and it
 * does not use up the collections a different problem needs.
 */
class ErrorCountsTest {
  static final int GROUP_LIMIT = 3;
  static final int FLOOD = 40;

  @TempDir
  static Path dir;
  static Stack stack;

  @BeforeAll
  static void startStack() throws Exception {
    stack = Stack.start(dir, Stack.defaults().triggerGroupLimit(GROUP_LIMIT));
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void a_flood_of_one_error_is_counted_whole_and_a_rare_one_is_still_collected() throws Exception {
    for (int i = 0; i < FLOOD; i++) {
      HttpResponse<String> response = stack.checkout("item=flood" + i + "&mode=fail", null);
      assertThat(response.statusCode()).as("checkout %d", i).isGreaterThanOrEqualTo(500);
    }

    JsonNode flood = awaitErrorGroup(g -> g.path("occurrences").asLong() >= FLOOD, Duration.ofSeconds(20));
    assertThat(flood).as("the flood's group").isNotNull();
    assertThat(flood.path("service").asText()).as("grouped where the error started").isEqualTo("payments");
    assertThat(flood.path("occurrences").asLong()).isEqualTo(FLOOD);
    // The first requests are within every service's budget, so the three collect the same traces.
    assertThat(flood.path("traces").asLong()).as("traces kept").isBetween((long) GROUP_LIMIT, GROUP_LIMIT + 1L);

    long allOccurrences = 0;
    for (JsonNode g : errorGroups()) {
      allOccurrences += g.path("occurrences").asLong();
    }
    assertThat(allOccurrences).as("one occurrence per failed checkout, though three services counted each")
        .isEqualTo(FLOOD);

    MintaroStats payments = stack.services.payments().sdk().stats();
    assertThat(payments.triggersGroupLimited()).isBetween(FLOOD - GROUP_LIMIT - 1L, (long) FLOOD - GROUP_LIMIT);
    assertThat(payments.triggersDropped()).isZero();
    for (DemoService s : List.of(stack.services.frontend(), stack.services.orders(), stack.services.payments())) {
      long deadline = System.nanoTime() + 5_000_000_000L; // counts alone go out within a second
      while (handled(s) < FLOOD && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(handled(s)).as("triggers of %s collected or counted", s.name()).isEqualTo(FLOOD);
    }

    String rare = Stack.newTraceId();
    stack.checkout("item=rare&mode=slow", rare);
    JsonNode trace = stack.awaitTrace(rare, t -> t.path("status").asText().equals("slow"), Duration.ofSeconds(15));
    assertThat(trace).as("a different problem after the flood is collected").isNotNull();
  }

  private static long handled(DemoService s) {
    MintaroStats st = s.sdk().stats();
    return st.triggersReported() + st.triggersCounted();
  }

  private static JsonNode awaitErrorGroup(java.util.function.Predicate<JsonNode> done, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      for (JsonNode g : errorGroups()) {
        if (done.test(g)) {
          return g;
        }
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return null;
  }

  private static List<JsonNode> errorGroups() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    stack.api("/api/groups?status=error&pageSize=200").path("groups").forEach(out::add);
    return out;
  }
}
