package io.mintaro.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.Core;
import io.mintaro.internal.LogLevels;
import io.mintaro.internal.json.JsonReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What the agent tells the collector of its recorder (docs/protocol.md, poll {@code stats}): with
 * the first poll after each registration, then at most once a minute, and at once when the ring
 * starts or stops holding the history a slow request needs.
 */
class AgentStatsReportTest {

  @Test
  void theFirstPollAfterRegisteringCarriesTheRecordersFiguresAndTheNextFewDoNot() throws Exception {
    try (FakeCollector collector = new FakeCollector();
        MintaroSdk sdk = MintaroSdk.builder().service("orders").bufferSize(4 * 1024 * 1024)
            .collector(collector.url()).build()) {
      List<Map<String, Object>> polls = awaitPolls(collector, 4);

      Map<String, Object> stats = stats(polls.get(0));
      assertThat(stats).containsOnlyKeys("bufferBytes", "bytesRecorded", "historyMs", "retentionShort",
          "triggersReported", "triggersRateLimited", "triggersGroupLimited", "triggersCounted", "triggersDropped",
          "batchesSent", "batchesFailed");
      assertThat(stats.get("bufferBytes")).isEqualTo((long) Core.of(sdk).recorder().capacity());
      assertThat(stats.get("retentionShort")).isEqualTo(false);
      assertThat(stats.get("triggersDropped")).isEqualTo(0L);
      // Polls come every 300 ms from this collector: the next ones, well within the minute, carry none.
      for (Map<String, Object> poll : polls.subList(1, 4)) {
        assertThat(poll).containsKey("agentId").doesNotContainKey("stats");
      }
    }
  }

  @Test
  void aRingThatFallsShortOfTheSlowThresholdIsReportedWithTheNextPoll() throws Exception {
    try (FakeCollector collector = new FakeCollector();
        MintaroSdk sdk = MintaroSdk.builder().service("orders").bufferSize(64 * 1024).maxBodySize(1024)
            .slowThreshold(Duration.ofSeconds(2)).collector(collector.url()).build()) {
      awaitPoll(collector, poll -> poll.containsKey("stats"));

      fill(Core.of(sdk), 3);

      Map<String, Object> reported = awaitPoll(collector,
          poll -> poll.containsKey("stats") && Boolean.TRUE.equals(stats(poll).get("retentionShort")));
      assertThat((Long) stats(reported).get("bytesRecorded")).isGreaterThan(3L * Core.of(sdk).recorder().capacity());
    }
  }

  @Test
  void aCollectorThatLostTheAgentGetsTheFiguresWithTheFirstPollAfterItRegistersAgain() throws Exception {
    try (FakeCollector collector = new FakeCollector();
        MintaroSdk sdk = MintaroSdk.builder().service("orders").bufferSize(4 * 1024 * 1024)
            .collector(collector.url()).build()) {
      awaitPolls(collector, 2);
      collector.stop();
      collector.restart(); // a new collector: the agent's next poll is answered 404 and it registers again

      long deadline = System.nanoTime() + 10_000_000_000L;
      while (collector.received("register").size() < 2 || pollsAfterLastRegistration(collector).isEmpty()) {
        assertThat(System.nanoTime() - deadline).as("a registration and a poll after it within 10 s").isNegative();
        Thread.sleep(20);
      }
      assertThat(pollsAfterLastRegistration(collector).get(0)).containsKey("stats");
    }
  }

  private static List<Map<String, Object>> pollsAfterLastRegistration(FakeCollector collector) {
    List<FakeCollector.Received> registrations = collector.received("register");
    long registeredAt = registrations.get(registrations.size() - 1).atNanos();
    return collector.received("poll").stream()
        .filter(r -> r.status() == 200 && r.atNanos() > registeredAt)
        .map(r -> parse(r.body()))
        .toList();
  }

  /** The first {@code n} polls the collector answered, once there are that many. */
  private static List<Map<String, Object>> awaitPolls(FakeCollector collector, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<Map<String, Object>> polls = collector.received("poll").stream().filter(r -> r.status() == 200)
          .map(r -> parse(r.body())).toList();
      if (polls.size() >= n) {
        return polls.subList(0, n);
      }
      assertThat(System.nanoTime() - deadline).as("%d polls within 10 s", n).isNegative();
      Thread.sleep(20);
    }
  }

  private static Map<String, Object> awaitPoll(FakeCollector collector, Predicate<Map<String, Object>> which)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      for (FakeCollector.Received r : collector.received("poll")) {
        Map<String, Object> poll = parse(r.body());
        if (which.test(poll)) {
          return poll;
        }
      }
      assertThat(System.nanoTime() - deadline).as("such a poll within 10 s").isNegative();
      Thread.sleep(20);
    }
  }

  @SuppressWarnings("unchecked") // JSON objects
  private static Map<String, Object> stats(Map<String, Object> poll) {
    assertThat(poll).containsKey("stats");
    return (Map<String, Object>) poll.get("stats");
  }

  @SuppressWarnings("unchecked") // a JSON object
  private static Map<String, Object> parse(String body) {
    return (Map<String, Object>) JsonReader.parse(body);
  }

  /** Writes about {@code laps} times the ring's capacity of log records, as fast as it can. */
  private static void fill(Core core, int laps) {
    String line = "x".repeat(200);
    long target = (long) laps * core.recorder().capacity() + 1;
    for (long i = 1; core.recorder().written() < target; i++) {
      core.writer().log(1, i, 1, System.currentTimeMillis() * 1000, LogLevels.DEBUG, "l", "t", line, null);
    }
  }
}
