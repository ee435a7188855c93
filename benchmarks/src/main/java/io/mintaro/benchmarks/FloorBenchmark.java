package io.mintaro.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The parts of a floor for recording one request (BENCHMARKS.md, "A floor"): what no recorder
 * can avoid. {@code copy} moves {@code bytes} into a 32 MiB ring at the next position, as the
 * flight recorder does, so the ring is written at this machine's real memory bandwidth rather than
 * in cache; {@code clock} is one monotonic clock read. The floor of a request is its recorded
 * bytes copied once plus two clock reads per span; everything above that is encoding, context,
 * ids and the integrations' own work.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@State(Scope.Thread)
public class FloorBenchmark {
  private static final int RING = 32 * 1024 * 1024;

  /** Bytes recorded per request: the edge's and the backend's, as measured by the load benchmark. */
  @Param({"1024", "3328"})
  public int bytes;

  private byte[] ring;
  private byte[] record;
  private int position;

  @Setup
  public void setup() {
    ring = new byte[RING];
    record = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      record[i] = (byte) ('a' + i % 26);
    }
  }

  @Benchmark
  public byte[] copy() {
    int at = position;
    if (at + bytes > RING) {
      at = 0;
    }
    System.arraycopy(record, 0, ring, at, bytes);
    position = at + bytes;
    return ring;
  }

  @Benchmark
  public long clock() {
    return System.nanoTime();
  }
}
