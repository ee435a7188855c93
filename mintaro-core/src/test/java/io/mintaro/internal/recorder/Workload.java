package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.recorder.Decoded.Exchange;
import io.mintaro.internal.recorder.Decoded.Header;
import io.mintaro.internal.recorder.Decoded.Log;
import java.nio.charset.StandardCharsets;

/**
 * Writes records whose every field is a function of (trace, seq), so that a record read back can
 * be checked completely: it must belong to the trace asked for and carry exactly what was written.
 * The seq travels in the span id (seq + 1) and the time (seq).
 */
final class Workload {
  private Workload() {}

  static long hi(int trace) {
    return 0x1000_0000_0000_0000L | trace;
  }

  static long lo(int trace) {
    return 0x2000_0000_0000_0000L ^ ((long) trace * 0x9E37_79B9_7F4A_7C15L) | 1;
  }

  static void write(RecordWriter writer, int trace, int seq) {
    long hi = hi(trace);
    long lo = lo(trace);
    if (seq % 3 == 2) {
      byte[] body = body(trace, seq);
      writer.exchange(hi, lo, seq + 1L, seq, seq * 10L, (byte) 1, 200 + seq % 300, "GET",
          "http://svc/" + trace + "/" + seq, null, new String[] {"x-trace", Integer.toString(trace)}, 1,
          body, body.length, body.length, null, 0, null, 0, 0);
    } else {
      writer.log(hi, lo, seq + 1L, seq, (byte) (1 + seq % 5), "trace-" + trace, "seq-" + seq,
          message(trace, seq), null);
    }
  }

  /** Asserts that {@code record} is exactly what {@link #write} wrote for this trace; returns its seq. */
  static int verify(byte[] record, int trace) {
    Object decoded;
    try {
      decoded = Decoded.decode(record);
    } catch (RuntimeException e) {
      throw new AssertionError("record of trace " + trace + " does not decode", e);
    }
    Header h = Decoded.header(record);
    assertThat(h.traceHi()).as("traceHi").isEqualTo(hi(trace));
    assertThat(h.traceLo()).as("traceLo").isEqualTo(lo(trace));
    int seq = (int) h.timeUs();
    assertThat(h.spanId()).as("span id").isEqualTo(seq + 1L);
    if (seq % 3 == 2) {
      assertThat(decoded).isInstanceOf(Exchange.class);
      Exchange e = (Exchange) decoded;
      assertThat(e.url()).isEqualTo("http://svc/" + trace + "/" + seq);
      assertThat(e.status()).isEqualTo(200 + seq % 300);
      assertThat(e.durationUs()).isEqualTo(seq * 10L);
      assertThat(e.requestHeaders()).containsExactly("x-trace", Integer.toString(trace));
      assertThat(e.requestBody().bytes()).isEqualTo(body(trace, seq));
    } else {
      assertThat(decoded).isInstanceOf(Log.class);
      Log l = (Log) decoded;
      assertThat(l.level()).isEqualTo((byte) (1 + seq % 5));
      assertThat(l.logger()).isEqualTo("trace-" + trace);
      assertThat(l.thread()).isEqualTo("seq-" + seq);
      assertThat(l.message()).isEqualTo(message(trace, seq));
    }
    return seq;
  }

  static String message(int trace, int seq) {
    int length = (int) (((long) seq * 7919 + trace * 31L) % 400);
    return ("t" + trace + "s" + seq + ":").repeat(1 + length / 8);
  }

  static byte[] body(int trace, int seq) {
    return ("{\"trace\":" + trace + ",\"seq\":" + seq + ",\"pad\":\"" + "x".repeat(seq % 200) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
