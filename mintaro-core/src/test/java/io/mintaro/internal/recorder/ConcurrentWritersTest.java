package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Writers on many threads share one small ring without locks. Whatever a reader gets back, while
 * they write or after, is a whole record of the trace it asked for.
 */
class ConcurrentWritersTest {
  private static final int WRITERS = 4;
  private static final int RECORDS_PER_WRITER = 20_000;
  private static final int TRACES_PER_WRITER = 40;

  @RepeatedTest(4) // a lapped writer is a matter of scheduling luck; give it several chances
  void concurrentWritersNeverMixTracesAndEverySurvivingRecordDecodes() throws Exception {
    FlightRecorder recorder = new FlightRecorder(64 * 1024);
    RecordWriter writer = new RecordWriter(recorder);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    AtomicLong readsDuringWrites = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int first = w * TRACES_PER_WRITER;
      threads.add(new Thread(() -> {
        await(start);
        try {
          for (int seq = 0; seq < RECORDS_PER_WRITER; seq++) {
            Workload.write(writer, first + seq % TRACES_PER_WRITER, seq);
          }
        } catch (Throwable e) {
          writerFailure.compareAndSet(null, e);
        }
      }, "writer-" + w));
    }
    for (int r = 0; r < 2; r++) {
      threads.add(new Thread(() -> {
        await(start);
        try {
          while (writing.get()) {
            int trace = ThreadLocalRandom.current().nextInt(WRITERS * TRACES_PER_WRITER);
            verifyTrace(recorder, trace);
            readsDuringWrites.incrementAndGet();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "reader-" + r));
    }
    threads.forEach(Thread::start);
    start.countDown();
    for (int w = 0; w < WRITERS; w++) {
      threads.get(w).join();
    }
    writing.set(false);
    for (Thread t : threads) {
      t.join();
    }

    assertThat(writerFailure.get()).as("a writer failed").isNull();
    assertThat(failure.get()).as("a reader saw a bad record while writers were busy").isNull();
    assertThat(readsDuringWrites.get()).isPositive();
    int survivors = 0;
    for (int trace = 0; trace < WRITERS * TRACES_PER_WRITER; trace++) {
      survivors += verifyTrace(recorder, trace);
    }
    assertThat(survivors).as("records still in the ring").isGreaterThan(50);
    assertThat(recorder.written()).isGreaterThan(10L * recorder.capacity());
  }

  /** Reads one trace and checks every record; returns how many there were. */
  private static int verifyTrace(FlightRecorder recorder, int trace) {
    Set<Integer> seen = new HashSet<>();
    for (byte[] r : recorder.read(Workload.hi(trace), Workload.lo(trace), 0)) {
      int seq = Workload.verify(r, trace);
      assertThat(seen.add(seq)).as("record %d of trace %d read twice", seq, trace).isTrue();
      assertThat(seq % TRACES_PER_WRITER).isEqualTo(trace % TRACES_PER_WRITER);
    }
    return seen.size();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
