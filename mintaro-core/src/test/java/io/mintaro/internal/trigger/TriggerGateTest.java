package io.mintaro.internal.trigger;

import static io.mintaro.internal.trigger.TriggerGate.COLLECT;
import static io.mintaro.internal.trigger.TriggerGate.COUNT;
import static io.mintaro.internal.trigger.TriggerGate.REPEAT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A trace is collected once per process; each local group has its own budget per minute and the
 * process a rate limit; whatever a limit refuses is counted, never just dropped.
 */
class TriggerGateTest {
  private static final String PAYMENTS = "error\nPOST /payments\nHTTP 500";
  private static final String ORDERS = "error\nGET /orders\njava.lang.IllegalStateException";

  @Test
  void aTraceIsCollectedOnlyOnceAndItsLaterTriggersAreRepeats() {
    TriggerGate gate = new TriggerGate(1_000, 100, 60);

    assertThat(gate.decide(1, 2, PAYMENTS)).isEqualTo(COLLECT);
    assertThat(gate.decide(1, 2, PAYMENTS)).isEqualTo(REPEAT);
    assertThat(gate.decide(1, 2, ORDERS)).as("a second problem in the same trace").isEqualTo(REPEAT);
    assertThat(gate.rateLimited()).as("a repeated trace is not a limited one").isZero();
    assertThat(gate.groupLimited()).isZero();
  }

  @Test
  void tracesThatDifferOnlyInOneHalfAreDifferentTraces() {
    TriggerGate gate = new TriggerGate(1_000, 100, 60);

    assertThat(gate.decide(1, 2, PAYMENTS)).isEqualTo(COLLECT);
    assertThat(gate.decide(3, 2, PAYMENTS)).isEqualTo(COLLECT);
    assertThat(gate.decide(1, 4, PAYMENTS)).isEqualTo(COLLECT);
  }

  @Test
  void theRateLimitAdmitsABurstThenCountsTheRest() {
    TriggerGate gate = new TriggerGate(0.001, 5, 1_000); // one token every 1000 s: no refill during the test

    for (int i = 0; i < 5; i++) {
      assertThat(gate.decide(1, 100 + i, PAYMENTS)).as("trigger %d of the burst", i).isEqualTo(COLLECT);
    }
    assertThat(gate.decide(1, 200, PAYMENTS)).isEqualTo(COUNT);
    assertThat(gate.decide(1, 201, ORDERS)).isEqualTo(COUNT);
    assertThat(gate.decide(1, 202, PAYMENTS)).isEqualTo(COUNT);
    assertThat(gate.rateLimited()).isEqualTo(3);
  }

  @Test
  void aCountedTraceIsNeitherCollectedByALaterTriggerOfAnotherGroupNorCountedTwice() {
    TriggerGate gate = new TriggerGate(1_000, 1_000, 1);

    assertThat(gate.decide(1, 1, PAYMENTS)).isEqualTo(COLLECT);
    assertThat(gate.decide(1, 2, PAYMENTS)).isEqualTo(COUNT);
    assertThat(gate.decide(1, 2, ORDERS)).as("its ERROR line then its 500, say").isEqualTo(REPEAT);
    assertThat(gate.decide(1, 3, ORDERS)).as("the other group's budget is untouched").isEqualTo(COLLECT);
  }

  @Test
  void theRateLimitRefillsAtItsSteadyRate() throws InterruptedException {
    TriggerGate gate = new TriggerGate(5, 1, 1_000); // a token every 200 ms

    assertThat(gate.decide(1, 1, PAYMENTS)).isEqualTo(COLLECT);
    assertThat(gate.decide(1, 2, PAYMENTS)).isEqualTo(COUNT);
    Thread.sleep(300);

    assertThat(gate.decide(1, 3, PAYMENTS)).isEqualTo(COLLECT);
    assertThat(gate.rateLimited()).isEqualTo(1);
  }

  @Test
  void aFloodOfOneGroupUsesOnlyItsOwnBudgetAndANewGroupIsStillCollected() {
    TriggerGate gate = new TriggerGate(1_000, 1_000, 10);

    int collected = 0;
    for (int i = 0; i < 500; i++) {
      if (gate.decide(7, 1_000 + i, PAYMENTS) == COLLECT) {
        collected++;
      }
    }
    assertThat(collected).as("the group's collections of the minute, all at once").isEqualTo(10);
    assertThat(gate.groupLimited()).isEqualTo(490);
    assertThat(gate.rateLimited()).isZero();

    assertThat(gate.decide(7, 5_000, ORDERS)).as("a rare error after the flood").isEqualTo(COLLECT);
  }

  @Test
  void groupsPastTheTrackedNumberShareOneBudgetRatherThanGrowingWithoutBound() {
    TriggerGate gate = new TriggerGate(1_000_000, 1_000_000, 1);

    for (int i = 0; i < TriggerGate.MAX_GROUPS; i++) {
      assertThat(gate.decide(9, 1 + i, "error\nGET /item/" + i + "\nHTTP 500")).isEqualTo(COLLECT);
    }
    assertThat(gate.decide(9, 100_001, "error\nGET /new/1\nHTTP 500")).as("first of the shared budget")
        .isEqualTo(COLLECT);
    assertThat(gate.decide(9, 100_002, "error\nGET /new/2\nHTTP 500")).as("the shared budget is spent")
        .isEqualTo(COUNT);
  }
}
