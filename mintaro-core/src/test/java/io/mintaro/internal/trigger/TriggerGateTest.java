package io.mintaro.internal.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Triggers leave the process once per trace, and no faster than the rate limit allows. */
class TriggerGateTest {

  @Test
  void aTraceIsAdmittedOnlyOnce() {
    TriggerGate gate = new TriggerGate(1_000, 100);

    assertThat(gate.admit(1, 2)).isTrue();
    assertThat(gate.admit(1, 2)).isFalse();
    assertThat(gate.admit(1, 2)).isFalse();
    assertThat(gate.rateLimited()).as("a repeated trace is not a rate-limited one").isZero();
  }

  @Test
  void tracesThatDifferOnlyInOneHalfAreDifferentTraces() {
    TriggerGate gate = new TriggerGate(1_000, 100);

    assertThat(gate.admit(1, 2)).isTrue();
    assertThat(gate.admit(3, 2)).isTrue();
    assertThat(gate.admit(1, 4)).isTrue();
  }

  @Test
  void theRateLimitAdmitsABurstThenRefusesAndCountsTheRefusals() {
    TriggerGate gate = new TriggerGate(0.001, 5); // one token every 1000 s: no refill during the test

    for (int i = 0; i < 5; i++) {
      assertThat(gate.admit(1, 100 + i)).as("trigger %d of the burst", i).isTrue();
    }
    assertThat(gate.admit(1, 200)).isFalse();
    assertThat(gate.admit(1, 201)).isFalse();
    assertThat(gate.admit(1, 202)).isFalse();
    assertThat(gate.rateLimited()).isEqualTo(3);
  }

  @Test
  void aTraceRefusedByTheRateLimitMayTriggerOnceTokensAreBack() throws InterruptedException {
    TriggerGate gate = new TriggerGate(5, 1); // a token every 200 ms

    assertThat(gate.admit(1, 1)).isTrue();
    assertThat(gate.admit(1, 2)).isFalse();
    Thread.sleep(300);

    assertThat(gate.admit(1, 2)).isTrue();
    assertThat(gate.rateLimited()).isEqualTo(1);
  }
}
