package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.recorder.Decoded.Breadcrumb;
import io.mintaro.internal.recorder.Decoded.Log;
import io.mintaro.internal.recorder.Decoded.SpanStart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property tests of the ring against torn and corrupted bytes. Real records of every kind are
 * written through {@link RecordWriter}, around laps of the ring, while a late writer scribbles
 * over published bytes (bit flips, stray words, a record's tail overwritten, a stale record's
 * bytes landing on a newer one, zeroed ranges). Whatever the damage: reading never throws, never
 * returns a record that is not byte for byte one that was written, returns of each trace an
 * unbroken run of its newest records, and never more than the ring holds.
 */
class FlightRecorderFuzzTest {
  private static final int CAPACITY = 64 * 1024;
  private static final int TRACES = 6;

  @Property(tries = 300)
  void aTornRecordIsNeverReturned(@ForAll("steps") List<Step> steps) {
    FlightRecorder recorder = new FlightRecorder(CAPACITY);
    Run run = new Run(recorder);
    for (Step step : steps) {
      if (step instanceof Write w) {
        run.write(w);
      } else {
        run.damage((Damage) step);
      }
    }
    run.assertEveryReadIsAnUnbrokenRunOfWrittenRecords();
  }

  @Property(tries = 150)
  void anUndamagedRingReturnsTheNewestRecordsOfEveryTraceWhole(@ForAll("writes") List<Write> writes) {
    FlightRecorder recorder = new FlightRecorder(CAPACITY);
    Run run = new Run(recorder);
    for (Write w : writes) {
      run.write(w);
    }
    run.assertEveryReadIsAnUnbrokenRunOfWrittenRecords();
    Write newest = run.lastPublished;
    if (newest != null) {
      List<byte[]> read = recorder.read(hi(newest.trace), lo(newest.trace), 0);
      assertThat(read).as("the newest record is always there").isNotEmpty();
      List<byte[]> mine = run.published.get(newest.trace);
      assertThat(read.get(0)).isEqualTo(mine.get(mine.size() - 1));
    }
    if (recorder.written() <= CAPACITY) {
      for (int trace = 0; trace < TRACES; trace++) {
        assertThat(recorder.read(hi(trace), lo(trace), 0)).as("before the first lap nothing is lost")
            .hasSameSizeAs(run.published.getOrDefault(trace, List.of()));
      }
    }
  }

  /** Writes, captures what each write published, and plays the late writer. */
  private static final class Run {
    final FlightRecorder recorder;
    final RecordWriter writer;
    /** Per trace, the bytes of each record as published, in publish order. */
    final Map<Integer, List<byte[]>> published = new HashMap<>();
    final List<byte[]> all = new ArrayList<>();
    Write lastPublished;

    Run(FlightRecorder recorder) {
      this.recorder = recorder;
      this.writer = new RecordWriter(recorder);
    }

    void write(Write w) {
      long hi = hi(w.trace);
      long lo = lo(w.trace);
      long before = recorder.head(lo);
      long span = w.seq + 1L;
      switch (w.kind) {
        case 0 -> writer.log(hi, lo, span, w.seq, (byte) (w.seq % 5 + 1), w.a, w.b, w.c,
            w.seq % 2 == 0 ? null : new ErrorInfo(w.a, w.c, w.b));
        case 1 -> writer.exchange(hi, lo, span, w.seq, 7, (byte) 1, 200, "GET", w.a, w.seq % 2 == 0 ? null : w.b,
            new String[] {"content-type", w.b, w.a, w.c}, 2, w.body, w.body.length, w.body.length * 2L,
            new String[] {"x", w.c}, 1, w.body, w.body.length / 2, w.body.length / 2);
        case 2 -> writer.spanStart(hi, lo, span, w.seq, (byte) 1, w.seq, w.a);
        case 3 -> writer.spanEnd(hi, lo, span, w.seq, (byte) 1, (byte) 2, w.seq, w.seq + 5L, w.a,
            new Object[] {w.b, w.c, "n", (long) w.seq, "ok", Boolean.TRUE}, 3, new ErrorInfo(w.b, w.c, w.a),
            new ErrorInfo[] {new ErrorInfo("t", null, null)}, 1, new SpanEvent[] {new SpanEvent(w.seq, w.b,
                new String[] {w.c, w.a})}, 1);
        default -> writer.breadcrumb(hi, lo, span, w.seq, (byte) 1, w.b, w.a);
      }
      List<byte[]> mine = recorder.read(hi, lo, before);
      if (mine.isEmpty()) {
        return; // larger than the largest record: dropped
      }
      assertThat(mine).hasSize(1);
      byte[] record = mine.get(0);
      assertWritten(record, w);
      published.computeIfAbsent(w.trace, t -> new ArrayList<>()).add(record);
      all.add(record);
      lastPublished = w;
    }

    /** What the reader decodes of a fresh record is what was written (strings within their limits). */
    private static void assertWritten(byte[] record, Write w) {
      Object decoded = Decoded.decode(record);
      assertThat(Decoded.header(record).timeUs()).isEqualTo(w.kind == 3 ? w.seq + 5L : w.seq);
      assertThat(Decoded.header(record).spanId()).isEqualTo(w.seq + 1L);
      if (decoded instanceof Log log) {
        assertKept(log.logger(), w.a, RecordWriter.MAX_NAME);
        assertKept(log.thread(), w.b, RecordWriter.MAX_NAME);
        assertKept(log.message(), w.c, RecordWriter.MAX_TEXT);
      } else if (decoded instanceof SpanStart start) {
        assertKept(start.name(), w.a, RecordWriter.MAX_NAME);
      } else if (decoded instanceof Breadcrumb crumb) {
        assertKept(crumb.agentId(), w.b, RecordWriter.MAX_NAME);
        assertKept(crumb.authority(), w.a, RecordWriter.MAX_NAME);
      }
    }

    /** A string that fits its limit reads back as written; a longer one as a prefix of it. */
    private static void assertKept(String read, String written, int maxBytes) {
      if (written.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
        assertThat(read).isEqualTo(written);
      } else {
        assertThat(written).startsWith(read);
        assertThat(read.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
      }
    }

    void damage(Damage d) {
      byte[] ring = recorder.ring;
      int at = Math.floorMod(d.at, CAPACITY);
      switch (d.kind) {
        case 0 -> ring[at] ^= (byte) (d.value | 1); // flipped bits
        case 1 -> Bytes.putLong(ring, at & ~7 & (CAPACITY - 8), d.value); // a stray aligned word
        case 2 -> { // a record's tail overwritten: the late writer's bytes from some point on
          if (!all.isEmpty()) {
            byte[] victim = all.get(Math.floorMod(d.at, all.size()));
            int offset = recorder.offsetOf(Bytes.getLong(victim, FlightRecorder.OFF_POS));
            int cut = FlightRecorder.HEADER_SIZE / 2 + Math.floorMod(d.value, victim.length);
            for (int i = Math.min(cut, victim.length - 1); i < victim.length && offset + i < CAPACITY; i++) {
              ring[offset + i] = (byte) (d.value >>> (i % 8 * 8));
            }
          }
        }
        case 3 -> { // a stale record's bytes land where a newer one is
          if (all.size() > 1) {
            byte[] stale = all.get(Math.floorMod(d.at, all.size()));
            byte[] target = all.get(Math.floorMod(d.value, all.size()));
            int offset = recorder.offsetOf(Bytes.getLong(target, FlightRecorder.OFF_POS));
            System.arraycopy(stale, 0, ring, offset, Math.min(stale.length, CAPACITY - offset));
          }
        }
        default -> Arrays.fill(ring, at, Math.min(CAPACITY, at + (int) Math.floorMod(d.value, 512L) + 1), (byte) 0);
      }
    }

    void assertEveryReadIsAnUnbrokenRunOfWrittenRecords() {
      long total = 0;
      int count = 0;
      for (int trace = 0; trace < TRACES; trace++) {
        List<byte[]> read = recorder.read(hi(trace), lo(trace), 0);
        List<byte[]> mine = published.getOrDefault(trace, List.of());
        assertThat(read.size()).isLessThanOrEqualTo(mine.size());
        for (int i = 0; i < read.size(); i++) {
          // newest first: the i-th record read is the i-th newest published, byte for byte
          assertThat(read.get(i)).as("trace %d, record %d of %d", trace, i, read.size())
              .isEqualTo(mine.get(mine.size() - 1 - i));
          Decoded.decode(read.get(i));
          total += read.get(i).length;
        }
        count += read.size();
      }
      assertThat(total).as("bytes read").isLessThanOrEqualTo(CAPACITY);
      assertThat(count).as("records read").isLessThanOrEqualTo(CAPACITY / FlightRecorder.HEADER_SIZE);
      Set<Long> traceLos = new HashSet<>();
      for (int trace = 0; trace < TRACES; trace++) {
        traceLos.add(lo(trace));
      }
      for (long[] id : recorder.traceIds()) {
        assertThat(traceLos).contains(id[1]);
      }
    }
  }

  static long hi(int trace) {
    return Workload.hi(trace);
  }

  static long lo(int trace) {
    // an odd trace shares the index slot of the even one before it: the slot hashes bits below 48
    return trace % 2 == 0 ? Workload.lo(trace) : Workload.lo(trace - 1) + (1L << 48);
  }

  interface Step {}

  /** One record: kind (log, exchange, span start, span end, breadcrumb), its trace, seq and contents. */
  record Write(int kind, int trace, int seq, String a, String b, String c, byte[] body) implements Step {
    @Override
    public String toString() {
      return "Write[kind=" + kind + ", trace=" + trace + ", seq=" + seq + ", a=" + a.length() + " chars, b="
          + b.length() + ", c=" + c.length() + ", body=" + body.length + " bytes]";
    }
  }

  /** The late writer: what it does (see {@link Run#damage}), where, and with which bits. */
  record Damage(int kind, int at, long value) implements Step {}

  /** Text without lone surrogates, so that it reads back as written; some of it long. */
  private static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.strings().ascii().ofMaxLength(40)),
        Tuple.of(2, Arbitraries.strings().withCharRange(' ', '\ud7ff').ofMaxLength(200)),
        Tuple.of(1, Arbitraries.strings().withChars("a\u00e9\u4e2d").ofMinLength(500).ofMaxLength(1_000)),
        Tuple.of(1, Arbitraries.of("\ud83d\ude00", "", "x".repeat(RecordWriter.MAX_NAME))));
  }

  private static Arbitrary<Write> write() {
    Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(12_000);
    return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, TRACES - 1),
        Arbitraries.integers().between(0, 1_000_000), text(), text(), text(), body).as(Write::new);
  }

  private static Arbitrary<Damage> damage() {
    return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers(), Arbitraries.longs())
        .as(Damage::new);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.frequencyOf(Tuple.of(12, write()), Tuple.of(1, damage())).map(s -> (Step) s)
        .list().ofMaxSize(400);
  }

  @Provide
  Arbitrary<List<Write>> writes() {
    return write().list().ofMinSize(1).ofMaxSize(400);
  }
}
