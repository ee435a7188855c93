package io.mintaro.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The upload byte rate: a sender that sends whenever it may, for a simulated minute, never sends
 * more than the rate allows over any window, and still gets the whole rate.
 */
class UploadBudgetTest {
  private static final long RATE = 100 * 1024;
  private static final long MS = 1_000_000L;

  @Test
  void aGreedySenderStaysUnderTheRateOverEveryWindowPlusOneBatch() {
    List<long[]> sends = greedySender(new UploadBudget(RATE, 0), 60_000, new Random(15));
    long largest = sends.stream().mapToLong(s -> s[1]).max().orElseThrow();
    for (long windowMs : new long[] {1_000, 5_000, 20_000}) {
      for (long start = 0; start + windowMs <= 60_000; start += 250) {
        long from = start * MS;
        long to = (start + windowMs) * MS;
        long bytes = sends.stream().filter(s -> s[0] >= from && s[0] < to).mapToLong(s -> s[1]).sum();
        assertThat(bytes).as("bytes sent in [%d ms, +%d ms)", start, windowMs)
            .isLessThanOrEqualTo(RATE * (windowMs / 1000 + 1) + largest);
      }
    }
  }

  @Test
  void aGreedySenderGetsTheWholeRateOverAMinute() {
    long total = greedySender(new UploadBudget(RATE, 0), 60_000, new Random(16)).stream().mapToLong(s -> s[1]).sum();
    assertThat(total).isBetween(RATE * 59, RATE * 62);
  }

  @Test
  void aBatchLargerThanASecondsBudgetIsSentAndTheNextWaitsUntilItIsPaidFor() {
    UploadBudget budget = new UploadBudget(RATE, 0);
    assertThat(budget.allows(0)).isTrue();
    budget.spent(RATE * 3, 0); // a full second's budget, and two seconds of debt
    assertThat(budget.allows(1_000 * MS)).isFalse();
    assertThat(budget.allows(1_950 * MS)).isFalse();
    assertThat(budget.allows(2_050 * MS)).isTrue();
  }

  @Test
  void zeroMeansNoLimit() {
    UploadBudget budget = new UploadBudget(0, 0);
    budget.spent(Long.MAX_VALUE / 2, 0);
    assertThat(budget.allows(0)).isTrue();
  }

  /** Sends a batch of 1-200 KiB every 20 ms whenever the budget allows; returns [nanos, bytes] pairs. */
  private static List<long[]> greedySender(UploadBudget budget, long millis, Random random) {
    List<long[]> sends = new ArrayList<>();
    for (long t = 0; t < millis; t += 20) {
      long now = t * MS;
      if (budget.allows(now)) {
        long bytes = 1024 + random.nextInt(199 * 1024);
        budget.spent(bytes, now);
        sends.add(new long[] {now, bytes});
      }
    }
    return sends;
  }
}
