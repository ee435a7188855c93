package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How far back the ring reaches: the recorder notes when space was claimed, at checkpoints along
 * the cursor, and finds the claim time of the oldest byte still in the ring by lookup. These tests
 * drive its clock, and compare with the claim times they saw themselves.
 */
class RetentionTest {
  private static final int TINY = 64 * 1024;
  private static final long T0 = 1_763_700_000_000_000L;

  private final AtomicLong now = new AtomicLong(T0);
  private final FlightRecorder recorder = new FlightRecorder(TINY, now::get);
  private final RecordWriter writer = new RecordWriter(recorder);
  /** (cursor after the write, time of the write) whenever a write moved the cursor. */
  private final List<long[]> claims = new ArrayList<>();
  private int seq;

  @Test
  void anEmptyRingHoldsNothing() {
    assertThat(recorder.oldestClaimMicros()).isZero();
    assertThat(recorder.newestClaimMicros()).isZero();
  }

  @Test
  void beforeTheRingFillsTheOldestByteIsTheFirstOneClaimed() {
    writeFor(100, 1_000);

    assertThat(recorder.written()).isLessThan(recorder.capacity());
    assertThat(recorder.oldestClaimMicros()).isEqualTo(claims.get(0)[1]).isEqualTo(T0 + 1_000);
    assertThat(recorder.newestClaimMicros()).isEqualTo(claims.get(claims.size() - 1)[1]);
  }

  @Test
  void afterLapsTheOldestClaimIsWhenTheOldestReadableByteWasClaimed() {
    writeFor(3_000, 1_000);

    assertThat(recorder.written()).isGreaterThan(3L * recorder.capacity());
    long oldest = recorder.written() - recorder.capacity();
    assertThat(recorder.oldestClaimMicros()).isCloseTo(claimTimeOf(oldest), within(timeToWrite(2 * 1024)));
    assertThat(recorder.newestClaimMicros()).isEqualTo(claims.get(claims.size() - 1)[1]);
  }

  @Test
  void recordsLargerThanACheckpointIntervalLeaveACheckpointAtEveryBoundaryTheyCover() {
    byte[] body = new byte[6 * 1024]; // six checkpoint intervals of this ring
    for (int i = 0; i < 100; i++) {
      now.addAndGet(10_000);
      writer.exchange(1, 1, i + 1, now.get(), 1, (byte) 1, 200, "GET", "http://svc/x", null,
          new String[0], 0, body, body.length, body.length, null, 0, null, 0, 0);
      claims.add(new long[] {recorder.written(), now.get()});
    }

    long oldest = recorder.written() - recorder.capacity();
    assertThat(recorder.oldestClaimMicros()).isCloseTo(claimTimeOf(oldest), within(10_000L));
    // ten 6 KiB records fill a lap: the oldest readable was claimed nine writes (90 ms) before the
    // newest, give or take the interpolation inside one checkpoint interval
    assertThat(history()).isBetween(80_000L, 100_000L);
  }

  @Test
  void theHistoryHeldGrowsWhenWritesSlowDownAndShrinksWhenTheyQuickenUp() {
    writeFor(2_000, 100);
    long steady = history();
    writeFor(2_000, 1_000);
    long slow = history();
    writeFor(2_000, 10);
    long fast = history();

    // the same bytes of the ring, ten times the time to fill them, then a tenth of it
    assertThat(slow).isCloseTo(10 * steady, within(steady));
    assertThat(fast).isCloseTo(steady / 10, within(steady / 50));
  }

  /** Writes {@code count} records of mixed sizes, {@code stepMicros} apart. */
  private void writeFor(int count, long stepMicros) {
    for (int i = 0; i < count; i++, seq++) {
      now.addAndGet(stepMicros);
      long before = recorder.written();
      Workload.write(writer, seq % 50, seq);
      if (recorder.written() != before) {
        claims.add(new long[] {recorder.written(), now.get()});
      }
    }
  }

  /** When the claim that covered byte {@code position} was made, as the writes saw it. */
  private long claimTimeOf(long position) {
    for (long[] claim : claims) {
      if (claim[0] > position) {
        return claim[1];
      }
    }
    throw new AssertionError("no claim covered " + position);
  }

  /** How long the latest writes took to fill {@code bytes} of the ring. */
  private long timeToWrite(int bytes) {
    long[] last = claims.get(claims.size() - 1);
    for (int i = claims.size() - 1; i >= 0; i--) {
      if (last[0] - claims.get(i)[0] >= bytes) {
        return last[1] - claims.get(i)[1];
      }
    }
    throw new AssertionError("fewer than " + bytes + " bytes written");
  }

  private long history() {
    return recorder.newestClaimMicros() - recorder.oldestClaimMicros();
  }
}
