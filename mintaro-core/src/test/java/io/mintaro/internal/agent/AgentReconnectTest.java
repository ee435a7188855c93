package io.mintaro.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent whose collector goes away (killed, or a load balancer answering 503 with no replica
 * behind it) keeps what it owes the collector and delivers it soon after the collector is back,
 * without hammering it meanwhile. Bounds are generous: the machine may be busy.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class AgentReconnectTest {

  @AfterEach
  void clearContext() {
    TestSdks.clearContext();
  }

  @Test
  void anAgentWithATriggerPendingDeliversItWithinSecondsOfTheCollectorComingBackAfterALongOutage()
      throws Exception {
    try (FakeCollector collector = new FakeCollector();
        MintaroSdk early = sdk(collector);
        MintaroSdk late = sdk(collector)) {
      await(() -> early.stats().connected() && late.stats().connected(), Duration.ofSeconds(10));

      collector.stop();
      await(() -> !early.stats().connected() && !late.stats().connected(), Duration.ofSeconds(10));
      // One agent has its trigger from the start of the outage and fails again and again with it;
      // the other idles through it, backing off towards reconnectMaxDelay (30 s: by now 2–8 s
      // between attempts), and has its trigger just before the collector is back.
      String earlyTrace = trigger(early);
      Thread.sleep(6_500);
      String lateTrace = trigger(late);
      Thread.sleep(500);
      collector.restart();
      long backAt = System.nanoTime();

      await(() -> delivered(collector, earlyTrace) && delivered(collector, lateTrace), Duration.ofSeconds(15));
      long tookMillis = (System.nanoTime() - backAt) / 1_000_000;

      assertThat(tookMillis).as("both triggers stored this long after the collector was back (the pending"
          + " ceiling is %d ms)", Agent.PENDING_RECONNECT_MAX_DELAY_MILLIS).isLessThan(3_000);
      assertThat(early.stats().triggersDropped()).isZero();
      assertThat(late.stats().triggersDropped()).isZero();
    }
  }

  @Test
  void batchesAnswered503AreSentAgainSoonAndNoneIsLost() throws Exception {
    try (FakeCollector collector = new FakeCollector(); MintaroSdk sdk = sdk(collector)) {
      await(() -> sdk.stats().connected(), Duration.ofSeconds(10));
      collector.answerBatches(503); // a replica that lost its database

      String traceId = trigger(sdk);
      Thread.sleep(2_500);
      collector.answerBatches(0);
      await(() -> delivered(collector, traceId) && sdk.stats().triggersReported() > 0, Duration.ofSeconds(10));

      List<FakeCollector.Received> refused = collector.received("batches").stream()
          .filter(r -> r.status() == 503).toList();
      assertThat(refused).as("retried while refused").hasSizeGreaterThanOrEqualTo(2)
          .as("and not in a loop").hasSizeLessThanOrEqualTo(8)
          .allSatisfy(r -> assertThat(r.body()).contains(traceId));
      assertThat(collector.acknowledgedBatches().stream().filter(b -> b.contains("\"triggers\":[{\"traceId\":\""
          + traceId))).as("stored once").hasSize(1);
      assertThat(sdk.stats().triggersReported()).isEqualTo(1);
      assertThat(sdk.stats().triggersDropped()).isZero();
      assertThat(sdk.stats().batchesFailed()).isEqualTo(refused.size());
    }
  }

  @Test
  void aCollectorAnswering503ToEverythingLosesNoTriggerAndIsNotHammered() throws Exception {
    try (FakeCollector collector = new FakeCollector(); MintaroSdk sdk = sdk(collector)) {
      await(() -> sdk.stats().connected(), Duration.ofSeconds(10));
      collector.answerEverything(503); // a load balancer with no replica up
      await(() -> !sdk.stats().connected(), Duration.ofSeconds(10));
      int before = collector.received("register").size() + collector.received("poll").size()
          + collector.received("batches").size();

      String traceId = trigger(sdk);
      Thread.sleep(3_000);
      int during = collector.received("register").size() + collector.received("poll").size()
          + collector.received("batches").size() - before;
      collector.answerEverything(0);
      await(() -> delivered(collector, traceId) && sdk.stats().triggersReported() > 0, Duration.ofSeconds(10));

      // with a trigger pending, 1–2 s apart once past the first quick retries
      assertThat(during).as("requests in 3 s of 503s").isBetween(2, 12);
      assertThat(sdk.stats().triggersReported()).isEqualTo(1);
      assertThat(sdk.stats().triggersDropped()).isZero();
    }
  }

  @Test
  void aTriggerOrACountNotYetDeliveredIsPendingAndLowersTheBackoffCeiling() throws Exception {
    try (FakeCollector collector = new FakeCollector(); MintaroSdk sdk = sdk(collector)) {
      collector.stop(); // only for its settings: this agent is not started
      Core core = Core.of(sdk);
      Agent agent = new Agent(core.settings(), "00000000000000a1", core.recorder(), (hi, lo) -> { }, () -> { });
      try {
        assertThat(agent.pending()).isFalse();
        assertThat(agent.ceilingMillis()).isEqualTo(30_000);

        agent.count(1, 2, "error", "GET /a", "HTTP 500");
        assertThat(agent.pending()).as("a counted trigger").isTrue();
        assertThat(agent.ceilingMillis()).isEqualTo(2_000);
      } finally {
        agent.close();
      }
      Agent other = new Agent(core.settings(), "00000000000000a2", core.recorder(), (hi, lo) -> { }, () -> { });
      try {
        other.trigger(1, 3, "error", "HTTP 500 GET /a", "GET /a", "HTTP 500");
        assertThat(other.pending()).as("a queued trigger").isTrue();
      } finally {
        other.close();
      }
    }
  }

  @Test
  void aReconnectMaxDelayBelowThePendingCeilingWinsEvenWithWorkPending() throws Exception {
    try (FakeCollector collector = new FakeCollector();
        MintaroSdk sdk = MintaroSdk.builder().service("svc").collector(collector.url())
            .reconnectMaxDelay(Duration.ofMillis(500)).build()) {
      collector.stop();
      Core core = Core.of(sdk);
      Agent agent = new Agent(core.settings(), "00000000000000a3", core.recorder(), (hi, lo) -> { }, () -> { });
      try {
        agent.trigger(1, 3, "error", "HTTP 500 GET /a", "GET /a", "HTTP 500");
        assertThat(agent.ceilingMillis()).isEqualTo(500);
      } finally {
        agent.close();
      }
    }
  }

  private static MintaroSdk sdk(FakeCollector collector) {
    return MintaroSdk.builder().service("svc").collector(collector.url()).build();
  }

  /** Fires a manual trigger in a new trace of {@code sdk}; returns the trace id. */
  private static String trigger(MintaroSdk sdk) {
    try (RecordingSpan root = TestSdks.root(sdk, "job")) {
      Mintaro.trigger("test");
      return Mintaro.traceId();
    }
  }

  private static boolean delivered(FakeCollector collector, String traceId) {
    return collector.acknowledgedBatches().stream().anyMatch(b -> b.contains(traceId));
  }

  private static void await(BooleanSupplier condition, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("still waiting after %s", atMost).isNegative();
      Thread.sleep(20);
    }
  }
}
