package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The link between the agents and the collector fails the ways real networks and disks do, with
 * the byte-counting relay playing the network. For each fault: the services' requests are
 * answered as usual, and the failed request's whole story (three services, five exchanges,
 * finished spans, logs) arrives once the fault is over, each record once. Nothing arrives partial:
 * a batch is stored whole or not at all, and the agent keeps it until the collector says stored.
 */
class LinkFaultsTest extends StackTest {
  private static final String BATCHES = "POST /agent/v1/batches";
  private static final Duration STORY = Duration.ofSeconds(30);

  @AfterEach
  void healTheLink() {
    stack.relay.delay(Duration.ZERO);
    stack.relay.cutRequests(BATCHES, 0, 0);
    stack.relay.loseAnswers(BATCHES, 0);
    stack.relay.stall(false);
  }

  @Test
  void aBatchCutInTheMiddleIsSentAgainAndStoredWhole() throws Exception {
    int before = stack.relay.requestsCut();
    stack.relay.cutRequests(BATCHES, 700, 3); // past the headers, inside the gzip body
    assertTheStoryArrivesWholeAfter(() -> stack.relay.requestsCut() - before, "batches cut");
  }

  @Test
  void aBatchWhoseConnectionClosesAfterItsFirstBytesIsSentAgainAndStoredWhole() throws Exception {
    int before = stack.relay.requestsCut();
    stack.relay.cutRequests(BATCHES, 120, 3, false); // inside the headers, then a plain FIN
    assertTheStoryArrivesWholeAfter(() -> stack.relay.requestsCut() - before, "batches cut");
  }

  @Test
  void aBatchWhoseAcknowledgementIsLostIsSentAgainAndStoredOnce() throws Exception {
    int before = stack.relay.answersLost();
    stack.relay.loseAnswers(BATCHES, 2);
    assertTheStoryArrivesWholeAfter(() -> stack.relay.answersLost() - before, "acknowledgements lost");
  }

  @Test
  void connectionsResetWhileTheStoryIsCollectedAreOpenedAgain() throws Exception {
    String traceId = Stack.newTraceId();
    assertThat(stack.checkout("item=reset&mode=fail", traceId).statusCode()).isEqualTo(502);
    for (int i = 0; i < 10; i++) { // resets polls, triggers and answers to collect alike
      stack.relay.resetAll();
      Thread.sleep(25);
    }
    assertWholeAndEachRecordOnce(stack.awaitTrace(traceId, Stack::wholeStory, STORY));
  }

  @Test
  void secondsOfDelayOnTheLinkSlowTheStoryButNotTheServices() throws Exception {
    stack.relay.delay(Duration.ofMillis(1500));
    String traceId = failingCheckoutAmongGoodOnes();
    JsonNode story = stack.awaitTrace(traceId, Stack::wholeStory, STORY);
    assertWholeAndEachRecordOnce(story);
  }

  @Test
  void halfOpenConnectionsAreGivenUpAndTheStoryArrivesOverNewOnes() throws Exception {
    // a first story leaves idle connections in the agents' pools, and the long polls are open
    String first = Stack.newTraceId();
    stack.checkout("item=warm&mode=fail", first);
    assertThat(stack.awaitTrace(first, Stack::wholeStory, STORY)).isNotNull();

    assertThat(stack.relay.halfOpenAll()).as("connections turned half-open").isPositive();
    String traceId = failingCheckoutAmongGoodOnes();
    // the agents time out a silent connection (a batch after 30 s, a poll after its timeout + 10 s)
    assertWholeAndEachRecordOnce(stack.awaitTrace(traceId, Stack::wholeStory, Duration.ofSeconds(60)));
  }

  @Test
  void aCollectorThatRestartsDuringTheRetrievalStillGetsTheWholeStory() throws Exception {
    for (long stopAfterMillis : new long[] {0, 40, 150}) {
      String traceId = Stack.newTraceId();
      assertThat(stack.checkout("item=restart&mode=fail", traceId).statusCode()).isEqualTo(502);
      Thread.sleep(stopAfterMillis);
      stack.stopCollector();
      assertThat(stack.checkout("item=while-down", null).statusCode()).isEqualTo(200);
      Thread.sleep(300);
      stack.restartCollector();
      JsonNode story = stack.awaitTrace(traceId, Stack::wholeStory, STORY);
      assertThat(story).as("story with the collector stopped %d ms after the error", stopAfterMillis).isNotNull();
      assertWholeAndEachRecordOnce(story);
    }
  }

  /**
   * Another process holds the SQLite file's write lock for longer than the collector's busy
   * timeout (10 s): ingest answers 503, the agents keep their batches, and store them after.
   */
  @Test
  void aDatabaseLockedByAnotherProcessDelaysTheStoryAndLosesNothing() throws Exception {
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), DatabaseLockHolder.class.getName(),
        dir.resolve("mintaro.db").toString(), "12000")
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      String traceId = failingCheckoutAmongGoodOnes();
      assertThat(stack.api("/api/traces?limit=1")).as("reads go on while the write lock is held").isNotNull();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(holder.exitValue()).isZero();
      assertWholeAndEachRecordOnce(stack.awaitTrace(traceId, Stack::wholeStory, STORY));
    } finally {
      holder.destroyForcibly();
    }
  }

  /** A failing request among good ones; its story arrives whole although the armed fault struck. */
  private static void assertTheStoryArrivesWholeAfter(IntSupplier faultsStruck, String fault) throws Exception {
    String traceId = failingCheckoutAmongGoodOnes();
    JsonNode story = stack.awaitTrace(traceId, Stack::wholeStory, STORY);
    assertThat(faultsStruck.getAsInt()).as(fault).isPositive();
    assertWholeAndEachRecordOnce(story);
  }

  /** Ten good requests, one that fails, ten good: each answered as if the link were fine. */
  private static String failingCheckoutAmongGoodOnes() throws Exception {
    String traceId = Stack.newTraceId();
    List<Integer> statuses = new ArrayList<>();
    long slowestNanos = 0;
    for (int i = 0; i < 21; i++) {
      long started = System.nanoTime();
      HttpResponse<String> r = i == 10
          ? stack.checkout("item=faulty&mode=fail", traceId)
          : stack.checkout("item=fine" + i, null);
      slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
      statuses.add(r.statusCode());
    }
    List<Integer> expected = new ArrayList<>(java.util.Collections.nCopies(21, 200));
    expected.set(10, 502);
    assertThat(statuses).isEqualTo(expected);
    System.out.printf("[measure] slowest of 21 requests during the fault: %.1f ms%n", slowestNanos / 1e6);
    return traceId;
  }

  private static void assertWholeAndEachRecordOnce(JsonNode story) {
    assertThat(story).as("the whole story").isNotNull();
    assertThat(Stack.wholeStory(story)).isTrue();
    assertUnique(story.path("spans"), "spanId");
    assertUnique(story.path("logs"), "seq");
    assertUnique(story.path("messages"), "seq");
  }

  private static void assertUnique(JsonNode records, String field) {
    Set<String> seen = new HashSet<>();
    for (JsonNode r : records) {
      String key = r.path("agentId").asText() + "/" + r.path(field).asText();
      assertThat(seen.add(key)).as("stored once: %s", key).isTrue();
    }
  }
}
