package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Small records are claimed from a block of the ring that the writing thread claimed for itself:
 * the shared cursor moves once per block, a thread's records sit side by side, and a thread never
 * writes into a block that has gone stale or belongs to another recorder.
 */
class ClaimBlockTest {
  private static final int RING = 1024 * 1024;

  @Test
  void smallRecordsOfOneThreadMoveTheCursorOncePerBlock() {
    FlightRecorder recorder = new FlightRecorder(RING);
    RecordWriter writer = new RecordWriter(recorder);

    for (int seq = 0; seq < 10; seq++) {
      log(writer, 7, seq);
    }

    assertThat(recorder.written()).isEqualTo(recorder.blockSize());
    List<byte[]> records = recorder.read(7, 7, 0);
    assertThat(records).hasSize(10);
    for (int i = 1; i < records.size(); i++) { // newest first, each right after the one before
      byte[] older = records.get(i);
      assertThat(Decoded.header(records.get(i - 1)).position())
          .isEqualTo(Decoded.header(older).position() + older.length);
    }
  }

  @Test
  void aRecordLargerThanAQuarterBlockIsClaimedOnItsOwn() {
    FlightRecorder recorder = new FlightRecorder(RING);
    RecordWriter writer = new RecordWriter(recorder);
    byte[] body = new byte[recorder.blockSize() / 2];

    writer.exchange(7, 7, 1, 0, 10, (byte) 1, 200, "GET", "http://svc/", null, new String[0], 0,
        body, body.length, body.length, new String[0], 0, null, 0, 0);

    byte[] record = recorder.read(7, 7, 0).get(0);
    assertThat(Decoded.header(record).position()).isZero();
    assertThat(recorder.written()).isEqualTo(record.length);
  }

  @Test
  void aRecordThatDoesNotFitWhatIsLeftOfTheBlockGoesIntoANewOne() {
    FlightRecorder recorder = new FlightRecorder(RING);
    RecordWriter writer = new RecordWriter(recorder);
    long firstBlockEnd = recorder.blockSize();

    long last;
    int seq = 0;
    do {
      log(writer, 7, seq++);
      last = Decoded.header(recorder.read(7, 7, 0).get(0)).position();
    } while (recorder.written() == firstBlockEnd);

    assertThat(last).isEqualTo(firstBlockEnd);
    assertThat(recorder.written()).isEqualTo(2L * recorder.blockSize());
    assertThat(recorder.read(7, 7, 0)).hasSize(seq);
  }

  @Test
  void aThreadWhoseBlockWentStaleWritesItsNextRecordInAFreshBlock() throws Exception {
    FlightRecorder recorder = new FlightRecorder(RING);
    RecordWriter writer = new RecordWriter(recorder);
    log(writer, 7, 0); // this thread now holds the first block, with room left

    Thread other = new Thread(() -> {
      for (int seq = 0; recorder.written() < RING / 8; seq++) {
        log(writer, 8, seq);
      }
    });
    other.start();
    other.join();
    long cursor = recorder.written();
    log(writer, 7, 1);

    List<byte[]> mine = recorder.read(7, 7, 0);
    assertThat(mine).hasSize(2);
    assertThat(Decoded.header(mine.get(0)).position()).isGreaterThanOrEqualTo(cursor);
  }

  @Test
  void aThreadWritingToTwoRecordersClaimsABlockInEach() {
    FlightRecorder first = new FlightRecorder(RING);
    FlightRecorder second = new FlightRecorder(RING);
    RecordWriter toFirst = new RecordWriter(first);
    RecordWriter toSecond = new RecordWriter(second);

    for (int seq = 0; seq < 6; seq++) {
      log(seq % 2 == 0 ? toFirst : toSecond, 7, seq);
    }

    // switching recorders starts a new block each time, so each record opened one
    assertThat(first.written()).isEqualTo(3L * first.blockSize());
    assertThat(second.written()).isEqualTo(3L * second.blockSize());
    assertThat(first.read(7, 7, 0)).extracting(r -> Decoded.header(r).timeUs()).containsExactly(4L, 2L, 0L);
    assertThat(second.read(7, 7, 0)).extracting(r -> Decoded.header(r).timeUs()).containsExactly(5L, 3L, 1L);
  }

  @Test
  void threadsWritingAtOnceEachFillTheirOwnBlocks() throws Exception {
    FlightRecorder recorder = new FlightRecorder(RING);
    RecordWriter writer = new RecordWriter(recorder);
    int perThread = 2_000;
    AtomicLong interleaved = new AtomicLong();
    Thread[] threads = new Thread[2];
    for (int t = 0; t < threads.length; t++) {
      long trace = 100 + t;
      threads[t] = new Thread(() -> {
        for (int seq = 0; seq < perThread; seq++) {
          log(writer, trace, seq);
        }
      });
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }

    for (int t = 0; t < threads.length; t++) {
      List<byte[]> records = recorder.read(100 + t, 100 + t, 0);
      assertThat(records).hasSize(perThread);
      for (int i = 1; i < records.size(); i++) {
        long newer = Decoded.header(records.get(i - 1)).position();
        long older = Decoded.header(records.get(i)).position();
        assertThat(newer).isGreaterThan(older); // a thread's blocks follow each other
        if (newer != older + records.get(i).length) {
          interleaved.incrementAndGet(); // a block boundary, the only place the other thread may be
        }
      }
    }
    long blocks = recorder.written() / recorder.blockSize();
    assertThat(interleaved.get()).isLessThanOrEqualTo(blocks);
  }

  private static void log(RecordWriter writer, long trace, int seq) {
    writer.log(trace, trace, seq + 1, seq, (byte) 2, "l", "t", "message " + seq, null);
  }
}
