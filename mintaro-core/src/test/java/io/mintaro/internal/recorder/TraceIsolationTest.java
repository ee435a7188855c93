package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A read returns the records of the trace asked for and never a record of another trace. */
class TraceIsolationTest {
  private static final int TINY = 64 * 1024;

  @Test
  void interleavedTracesAreEachReadBackAlone() {
    FlightRecorder recorder = new FlightRecorder(1 << 20);
    RecordWriter writer = new RecordWriter(recorder);
    for (int seq = 0; seq < 30; seq++) {
      Workload.write(writer, seq % 3, seq);
    }

    for (int trace = 0; trace < 3; trace++) {
      List<Integer> seqs = seqs(recorder, trace);
      List<Integer> expected = new ArrayList<>();
      for (int seq = 29; seq >= 0; seq--) {
        if (seq % 3 == trace) {
          expected.add(seq);
        }
      }
      assertThat(seqs).as("trace %d", trace).isEqualTo(expected);
    }
  }

  @Test
  void tracesThatShareAnIndexSlotAreKeptApart() {
    FlightRecorder recorder = new FlightRecorder(TINY);
    RecordWriter writer = new RecordWriter(recorder);
    long hiA = 0x0a0a0a0a0a0a0a0aL;
    long loA = 0x1111111111111111L;
    writer.log(hiA, loA, 1, 0, (byte) 3, "A", "t", "A-0", null);
    List<Long> sameSlot = collidingLows(recorder, loA, 3);
    assertThat(recorder.head(sameSlot.get(0))).as("the traces really share a slot").isEqualTo(recorder.head(loA));

    for (int i = 1; i <= 40; i++) {
      writer.log(hiA, loA, 1, i, (byte) 3, "A", "t", "A-" + i, null);
      for (int t = 0; t < sameSlot.size(); t++) {
        writer.log(t + 1, sameSlot.get(t), 1, i, (byte) 3, "B" + t, "t", "B" + t + "-" + i, null);
      }
    }

    assertThat(loggers(recorder.read(hiA, loA, 0))).hasSize(41).containsOnly("A");
    for (int t = 0; t < sameSlot.size(); t++) {
      assertThat(loggers(recorder.read(t + 1, sameSlot.get(t), 0))).hasSize(40).containsOnly("B" + t);
    }
  }

  @Test
  void tracesWithTheSameLowHalfAreKeptApartByTheHighHalf() {
    FlightRecorder recorder = new FlightRecorder(TINY);
    RecordWriter writer = new RecordWriter(recorder);
    long lo = 0x5555_5555_5555_5555L;
    for (int i = 0; i < 10; i++) {
      writer.log(1, lo, 1, i, (byte) 3, "one", "t", "m", null);
      writer.log(2, lo, 1, i, (byte) 3, "two", "t", "m", null);
    }

    assertThat(loggers(recorder.read(1, lo, 0))).hasSize(10).containsOnly("one");
    assertThat(loggers(recorder.read(2, lo, 0))).hasSize(10).containsOnly("two");
    assertThat(recorder.read(3, lo, 0)).isEmpty();
  }

  @Test
  void aTraceThatOnlySharesASlotWithOthersReadsAsEmpty() {
    FlightRecorder recorder = new FlightRecorder(TINY);
    RecordWriter writer = new RecordWriter(recorder);
    long lo = 0x7777_7777_7777_7777L;
    writer.log(9, lo, 1, 0, (byte) 3, "other", "t", "m", null);
    long sameSlot = collidingLows(recorder, lo, 1).get(0);

    assertThat(recorder.read(9, sameSlot, 0)).isEmpty();
  }

  /** Low halves whose records land in the same index slot as {@code lo}, found by observation. */
  static List<Long> collidingLows(FlightRecorder recorder, long lo, int count) {
    long head = recorder.head(lo);
    assertThat(head).as("the trace must have been written").isNotZero();
    List<Long> found = new ArrayList<>();
    for (long candidate = 1; found.size() < count; candidate++) {
      if (candidate != lo && recorder.head(candidate) == head) {
        found.add(candidate);
      }
    }
    return found;
  }

  private static List<Integer> seqs(FlightRecorder recorder, int trace) {
    List<Integer> seqs = new ArrayList<>();
    for (byte[] r : recorder.read(Workload.hi(trace), Workload.lo(trace), 0)) {
      seqs.add(Workload.verify(r, trace));
    }
    return seqs;
  }

  private static List<String> loggers(List<byte[]> records) {
    List<String> out = new ArrayList<>();
    for (byte[] r : records) {
      Decoded.Log log = (Decoded.Log) Decoded.decode(r);
      out.add(log.logger());
    }
    return out;
  }
}
