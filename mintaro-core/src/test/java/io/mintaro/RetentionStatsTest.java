package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.RecordingSpan;
import io.mintaro.logging.LogCapture;
import java.lang.System.Logger.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MintaroStats#historyMillis()} and {@link MintaroStats#oldestRecordAgeMillis()}: how far
 * back the flight recorder reaches, for a small ring filled through the SDK at times the test
 * measures itself.
 */
class RetentionStatsTest {
  private static final int RING = 64 * 1024;
  private static final long PAUSE_MILLIS = 300;

  private final MintaroSdk sdk = MintaroSdk.builder().service("svc").bufferSize(RING).maxBodySize(1024).build();

  @AfterEach
  void close() {
    TestSdks.clearContext();
    sdk.close();
  }

  @Test
  void aFreshSdkHoldsNoHistory() {
    MintaroStats stats = sdk.stats();

    assertThat(stats.historyMillis()).isZero();
    assertThat(stats.oldestRecordAgeMillis()).isZero();
  }

  @Test
  void beforeTheRingFillsItReachesBackToTheFirstRecord() throws InterruptedException {
    long start = System.nanoTime();
    record(8 * 1024);
    sleep(PAUSE_MILLIS);
    record(8 * 1024);
    long elapsed = millisSince(start);

    MintaroStats stats = sdk.stats();
    assertThat(stats.bytesRecorded()).isLessThan(RING);
    assertThat(stats.historyMillis()).isBetween(PAUSE_MILLIS, elapsed);
    assertThat(stats.oldestRecordAgeMillis()).isBetween(stats.historyMillis(), millisSince(start));
  }

  @Test
  void whileNothingIsRecordedTheOldestRecordAgesAndTheHistoryStaysPut() throws InterruptedException {
    record(8 * 1024);
    sleep(PAUSE_MILLIS);
    record(8 * 1024);
    MintaroStats before = sdk.stats();

    sleep(PAUSE_MILLIS);
    MintaroStats after = sdk.stats();

    assertThat(after.historyMillis()).isEqualTo(before.historyMillis());
    assertThat(after.oldestRecordAgeMillis()).isGreaterThanOrEqualTo(before.oldestRecordAgeMillis() + PAUSE_MILLIS);
  }

  @Test
  void aBurstThatLapsTheRingShrinksTheHistoryToTheBurst() throws InterruptedException {
    record(8 * 1024);
    sleep(PAUSE_MILLIS);
    record(8 * 1024);
    long spread = sdk.stats().historyMillis();
    sleep(PAUSE_MILLIS);

    long burstStart = System.nanoTime();
    record(4 * RING);
    long burst = millisSince(burstStart);
    MintaroStats stats = sdk.stats();

    assertThat(spread).isGreaterThanOrEqualTo(PAUSE_MILLIS);
    assertThat(stats.bytesRecorded()).isGreaterThan(4L * RING);
    // what is left is the burst's last lap: nothing from before the pause
    assertThat(stats.historyMillis()).isLessThanOrEqualTo(burst).isLessThan(spread);
    assertThat(stats.oldestRecordAgeMillis()).isLessThanOrEqualTo(millisSince(burstStart)).isLessThan(PAUSE_MILLIS);
  }

  /** Records spans with log lines, about {@code bytes} of them. */
  private void record(int bytes) {
    long before = sdk.stats().bytesRecorded();
    String message = "x".repeat(200);
    while (sdk.stats().bytesRecorded() - before < bytes) {
      try (RecordingSpan span = TestSdks.root(sdk, "work")) {
        for (int i = 0; i < 10; i++) {
          LogCapture.record(Level.INFO, "app", "main", System.currentTimeMillis(), message, null);
        }
      }
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000 + 1;
  }

  private static void sleep(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }
}
