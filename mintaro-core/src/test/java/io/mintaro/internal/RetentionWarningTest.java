package io.mintaro.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator is told when the ring holds less history than a slow request needs. */
class RetentionWarningTest {

  @Test
  void aRingThatLapsFasterThanTheSlowThresholdSaysWhichBudgetWouldDo() {
    try (MintaroSdk sdk = MintaroSdk.builder().service("svc").bufferSize(64 * 1024).maxBodySize(1024)
        .slowThreshold(Duration.ofSeconds(2)).build()) {
      Core core = Core.of(sdk);
      assertThat(core.retentionShortfall()).as("nothing recorded yet").isNull();

      fill(core, 3);

      assertThat(core.retentionShortfall())
          .startsWith("mintaro: the flight recorder holds ")
          .contains("less than the 2500 ms a request slower than the slow threshold (2000 ms) needs")
          .matches(".*set MINTARO_BUFFER_SIZE to \\d+m or more");
    }
  }

  @Test
  void aRingThatHasNotLappedTwiceOrASlowTriggerThatIsOffSaysNothing() {
    try (MintaroSdk sdk = MintaroSdk.builder().service("svc").bufferSize(64 * 1024).maxBodySize(1024)
        .slowThreshold(Duration.ZERO).build()) {
      fill(Core.of(sdk), 3);
      assertThat(Core.of(sdk).retentionShortfall()).isNull();
    }
    try (MintaroSdk sdk = MintaroSdk.builder().service("svc").bufferSize(64 * 1024).maxBodySize(1024)
        .slowThreshold(Duration.ofSeconds(2)).build()) {
      fill(Core.of(sdk), 1);
      assertThat(Core.of(sdk).retentionShortfall()).as("lapped once only").isNull();
    }
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
