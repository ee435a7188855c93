package io.mintaro.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LongSummaryStatistics;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Waits between attempts to reach the collector: exponential from 250 ms, half of each wait drawn
 * at random (equal jitter) so that a fleet the collector lost at once does not come back at once.
 */
class BackoffTest {
  private static final long IDLE_CEILING = 30_000;
  private static final long PENDING_CEILING = Agent.PENDING_RECONNECT_MAX_DELAY_MILLIS;

  @Test
  void theFirstRetryComesWithinAQuarterOfASecond() {
    for (int i = 0; i < 100; i++) {
      assertThat(new Backoff().failed(IDLE_CEILING)).isBetween(125L, 250L);
    }
  }

  @Test
  void eachWaitIsHalfItsStepAndARandomPartOfTheOtherHalfTheStepDoublingToTheCeiling() {
    Backoff backoff = new Backoff();
    long step = 250;
    for (int failure = 1; failure <= 12; failure++) {
      assertThat(backoff.failed(IDLE_CEILING)).as("failure %d", failure).isBetween(step / 2, step);
      step = Math.min(step * 2, IDLE_CEILING);
    }
  }

  @Test
  void waitsForTheSameFailureDifferFromAgentToAgent() {
    // 200 agents that failed four times in a row, as a fleet does when its collector is killed
    Set<Long> waits = new HashSet<>();
    LongSummaryStatistics stats = new LongSummaryStatistics();
    for (int agent = 0; agent < 200; agent++) {
      Backoff backoff = new Backoff();
      long wait = 0;
      for (int failure = 1; failure <= 4; failure++) {
        wait = backoff.failed(IDLE_CEILING);
      }
      waits.add(wait);
      stats.accept(wait);
    }
    assertThat(waits).as("distinct waits among 200").hasSizeGreaterThan(100);
    assertThat(stats.getMin()).isGreaterThanOrEqualTo(1_000);
    assertThat(stats.getMax()).isLessThanOrEqualTo(2_000);
    assertThat(stats.getMax() - stats.getMin()).as("spread over the random half").isGreaterThan(500);
  }

  @Test
  void underThePendingCeilingEveryWaitIsAtMostTwoSecondsHoweverManyFailuresCame() {
    Backoff backoff = new Backoff();
    for (int failure = 1; failure <= 100; failure++) {
      long wait = backoff.failed(PENDING_CEILING);
      assertThat(wait).as("failure %d", failure).isLessThanOrEqualTo(2_000);
      if (failure >= 4) {
        assertThat(wait).as("never a tight loop").isGreaterThanOrEqualTo(1_000);
      }
    }
  }

  @Test
  void aCeilingThatDropsWhileWaitingBringsTheNextAttemptForward() {
    Backoff backoff = new Backoff();
    for (int failure = 1; failure <= 10; failure++) {
      backoff.failed(IDLE_CEILING);
    }
    assertThat(backoff.remainingNanos()).as("a wait drawn under 30 s, at its step").isGreaterThan(10_000_000_000L);

    backoff.lower(PENDING_CEILING);

    assertThat(backoff.remainingNanos()).isLessThanOrEqualTo(2_000_000_000L);
  }

  @Test
  void aRefusalIsWaitedOutInFullWhateverTheCeilingBecomes() {
    // a wrong key or "too many requests": retrying within 2 s would only be refused again
    Backoff backoff = new Backoff();
    for (int failure = 1; failure <= 10; failure++) {
      backoff.refused(IDLE_CEILING);
    }
    backoff.lower(PENDING_CEILING);
    assertThat(backoff.remainingNanos()).isGreaterThan(10_000_000_000L);

    backoff.failed(IDLE_CEILING);
    backoff.lower(PENDING_CEILING);
    assertThat(backoff.remainingNanos()).as("a failure after it is lowered again").isLessThanOrEqualTo(2_000_000_000L);
  }

  @Test
  void aHigherCeilingDoesNotPutTheNextAttemptOff() {
    Backoff backoff = new Backoff();
    for (int failure = 1; failure <= 10; failure++) {
      backoff.failed(PENDING_CEILING);
    }
    backoff.lower(IDLE_CEILING);
    assertThat(backoff.remainingNanos()).isLessThanOrEqualTo(2_000_000_000L);
  }

  @Test
  void aSuccessMakesTheNextFailureWaitAsLittleAsTheFirst() {
    Backoff backoff = new Backoff();
    for (int failure = 1; failure <= 10; failure++) {
      backoff.failed(IDLE_CEILING);
    }
    backoff.reset();
    assertThat(backoff.due()).isTrue();
    assertThat(backoff.failed(IDLE_CEILING)).isBetween(125L, 250L);
  }
}
