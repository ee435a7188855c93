package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring keeps the newest bytes: once it is full, the oldest records are overwritten first, and
 * a read after any number of laps returns only whole records of the trace asked for.
 */
class WrapAroundTest {
  private static final int TINY = 64 * 1024;

  @Test
  void theOldestRecordsAreOverwrittenFirst() {
    FlightRecorder recorder = new FlightRecorder(TINY);
    RecordWriter writer = new RecordWriter(recorder);
    int total = 5_000;
    for (int seq = 0; seq < total; seq++) {
      writer.log(1, 1, seq + 1, seq, (byte) 3, "l", "t", "message " + seq, null);
    }

    List<byte[]> records = recorder.read(1, 1, 0);

    assertThat(recorder.written()).isGreaterThan(3L * recorder.capacity());
    assertThat(records).isNotEmpty();
    // what survives is an unbroken run of the newest records ...
    for (int i = 0; i < records.size(); i++) {
      assertThat(Decoded.header(records.get(i)).timeUs()).isEqualTo(total - 1 - i);
    }
    // ... and it fills most of the ring
    long bytes = records.stream().mapToLong(r -> r.length).sum();
    assertThat(bytes).isGreaterThan(recorder.capacity() - 2L * recorder.maxRecordSize())
        .isLessThanOrEqualTo(recorder.capacity());
  }

  @Test
  void afterManyLapsEveryRecordReadBelongsToItsTraceAndDecodes() {
    FlightRecorder recorder = new FlightRecorder(TINY);
    RecordWriter writer = new RecordWriter(recorder);
    int traces = 300; // more traces than index slots, so slots are shared
    Map<Integer, List<long[]>> written = new HashMap<>(); // trace -> [seq, position]
    Random random = new Random(42);
    for (int seq = 0; seq < 40_000; seq++) {
      int trace = random.nextInt(traces);
      Workload.write(writer, trace, seq);
      long position = recorder.head(Workload.lo(trace)) - 1;
      written.computeIfAbsent(trace, t -> new ArrayList<>()).add(new long[] {seq, position});
    }
    long oldestKept = recorder.written() - recorder.capacity();

    int survivors = 0;
    for (int trace = 0; trace < traces; trace++) {
      List<Integer> expected = new ArrayList<>();
      List<long[]> mine = written.getOrDefault(trace, List.of());
      for (int i = mine.size() - 1; i >= 0 && mine.get(i)[1] >= oldestKept; i--) {
        expected.add((int) mine.get(i)[0]);
      }
      List<Integer> seqs = new ArrayList<>();
      for (byte[] r : recorder.read(Workload.hi(trace), Workload.lo(trace), 0)) {
        seqs.add(Workload.verify(r, trace));
      }
      assertThat(seqs).as("trace %d", trace).isEqualTo(expected);
      survivors += seqs.size();
    }
    assertThat(survivors).as("records still in the ring").isGreaterThan(100);
  }

  @Test
  void readingFromAHeadReturnsOnlyRecordsPublishedAfterIt() {
    FlightRecorder recorder = new FlightRecorder(TINY);
    RecordWriter writer = new RecordWriter(recorder);
    long lo = 0x3333_3333_3333_3333L;
    writer.log(7, lo, 1, 0, (byte) 3, "mine", "t", "before-0", null);
    writer.log(7, lo, 1, 1, (byte) 3, "mine", "t", "before-1", null);
    long otherLo = TraceIsolationTest.collidingLows(recorder, lo, 1).get(0);
    writer.log(8, otherLo, 1, 2, (byte) 3, "other", "t", "before", null);
    long head = recorder.head(lo);

    assertThat(recorder.read(7, lo, head)).as("nothing new yet").isEmpty();

    writer.log(7, lo, 1, 3, (byte) 3, "mine", "t", "after-0", null);
    writer.log(8, otherLo, 1, 4, (byte) 3, "other", "t", "after", null);
    writer.log(7, lo, 1, 5, (byte) 3, "mine", "t", "after-1", null);

    assertThat(messages(recorder.read(7, lo, head))).containsExactly("after-1", "after-0");
    assertThat(messages(recorder.read(8, otherLo, head))).containsExactly("after");
    assertThat(messages(recorder.read(7, lo, 0))).containsExactly("after-1", "after-0", "before-1", "before-0");
  }

  @Test
  void aHeadThatHasBeenOverwrittenStillEndsTheRead() {
    FlightRecorder recorder = new FlightRecorder(TINY);
    RecordWriter writer = new RecordWriter(recorder);
    writer.log(1, 1, 1, 0, (byte) 3, "l", "t", "old", null);
    long head = recorder.head(1);
    for (int i = 0; i < 3_000; i++) {
      writer.log(1, 1, 1, i + 1, (byte) 3, "l", "t", "new " + i, null);
    }

    List<String> messages = messages(recorder.read(1, 1, head));

    assertThat(messages).isNotEmpty().doesNotContain("old").first().isEqualTo("new 2999");
  }

  private static List<String> messages(List<byte[]> records) {
    List<String> out = new ArrayList<>();
    for (byte[] r : records) {
      out.add(((Decoded.Log) Decoded.decode(r)).message());
    }
    return out;
  }
}
