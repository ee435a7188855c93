package io.mintaro.internal.recorder;

import static io.mintaro.internal.recorder.FlightRecorder.HEADER_SIZE;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_SPAN;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TIME;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TRACE_HI;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TRACE_LO;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TYPE;

import io.mintaro.internal.redaction.ValuePatterns;

/**
 * One record being encoded, in a buffer of the calling thread. Encoding first and copying after
 * reads every string once (measuring and copying in the same pass) instead of once to size the
 * record and again to write it, and keeps the time between claiming ring space and publishing it
 * to a copy. Bodies are not copied into the buffer: they are spliced in when the record is copied
 * into the ring.
 */
final class RecordBuffer {
  private static final ThreadLocal<RecordBuffer> BUFFERS = ThreadLocal.withInitial(RecordBuffer::new);
  private static final int INITIAL = 1024;
  /** A thread keeps at most this much between records; a larger buffer is dropped after use. */
  private static final int KEEP = 16 * 1024;
  private static final int MAX_SPLICES = 2;

  private byte[] buf = new byte[INITIAL];
  private int pos;
  private final byte[][] spliceBytes = new byte[MAX_SPLICES][];
  private final int[] spliceLength = new int[MAX_SPLICES];
  private final int[] spliceAt = new int[MAX_SPLICES];
  private int splices;
  private int splicedBytes;
  /**
   * The ring block this thread claims its small records from ({@link FlightRecorder}): the id of
   * its recorder (0 for none yet; an id, not the recorder, so a closed SDK's ring is not kept
   * alive by every thread that once wrote to it), the next free position and the block's end.
   */
  long blockOwner;
  long blockNext;
  long blockEnd;

  /**
   * The calling thread's buffer, reset, with the record header filled in. One record at a time:
   * encoding calls no code outside the recorder, so it never begins another record meanwhile.
   */
  static RecordBuffer begin(byte type, long hi, long lo, long spanId, long timeUs) {
    RecordBuffer b = BUFFERS.get();
    b.pos = HEADER_SIZE;
    b.splices = 0;
    b.splicedBytes = 0;
    byte[] buf = b.buf;
    buf[OFF_TYPE] = type;
    Bytes.putLong(buf, OFF_TRACE_HI, hi);
    Bytes.putLong(buf, OFF_TRACE_LO, lo);
    Bytes.putLong(buf, OFF_SPAN, spanId);
    Bytes.putLong(buf, OFF_TIME, timeUs);
    return b;
  }

  /** Forgets the record's bodies, and drops the buffer when a large record made it grow. */
  void release() {
    for (int i = 0; i < splices; i++) {
      spliceBytes[i] = null;
    }
    if (buf.length > KEEP) {
      buf = new byte[INITIAL];
    }
  }

  /** Size of the encoded record, splices included, before alignment. */
  int size() {
    return pos + splicedBytes;
  }

  /** Copies the record into {@code ring} at {@code off}, splicing the bodies in. */
  void copyTo(byte[] ring, int off) {
    int from = 0;
    int to = off;
    for (int i = 0; i < splices; i++) {
      int at = spliceAt[i];
      System.arraycopy(buf, from, ring, to, at - from);
      to += at - from;
      System.arraycopy(spliceBytes[i], 0, ring, to, spliceLength[i]);
      to += spliceLength[i];
      from = at;
    }
    System.arraycopy(buf, from, ring, to, pos - from);
  }

  private void ensure(int room) {
    if (pos + room > buf.length) {
      byte[] bigger = new byte[Math.max(buf.length * 2, pos + room)];
      System.arraycopy(buf, 0, bigger, 0, pos);
      buf = bigger;
    }
  }

  void putByte(byte v) {
    ensure(1);
    buf[pos++] = v;
  }

  void putInt(int v) {
    ensure(4);
    Bytes.putInt(buf, pos, v);
    pos += 4;
  }

  void putLong(long v) {
    ensure(8);
    Bytes.putLong(buf, pos, v);
    pos += 8;
  }

  /**
   * A string as its UTF-8 byte length and bytes, cut at a character boundary to at most {@code max}
   * bytes; null as length -1. ASCII, nearly every name, header and message, is measured and copied
   * in one pass. A CharSequence (a logging library's reused StringBuilder) is read the same way,
   * so a message formatted into a buffer never becomes a String.
   */
  void putString(CharSequence s, int max) {
    if (s == null) {
      putInt(-1);
      return;
    }
    int n = s.length();
    int limit = Math.min(n, max);
    ensure(4 + limit);
    byte[] b = buf;
    int q = pos + 4;
    int i = 0;
    for (char c; i < limit && (c = s.charAt(i)) < 0x80; i++) {
      b[q + i] = (byte) c;
    }
    if (i == n || i == max) {
      Bytes.putInt(b, pos, i);
      pos = q + i;
      return;
    }
    int len = Bytes.utf8Length(s, max);
    ensure(4 + len);
    Bytes.putInt(buf, pos, len);
    pos = Bytes.putUtf8(buf, pos + 4, s, len);
  }

  /**
   * Free text (a log message, an exception's message or stack trace) as {@link #putString}, with
   * JWTs and card numbers masked in the bytes just written: the text is encoded once and scanned
   * once, in place, and costs nothing more when it holds neither.
   */
  void putText(CharSequence s, int max) {
    int at = pos;
    putString(s, max);
    if (s == null) {
      return;
    }
    int start = at + 4;
    int end = ValuePatterns.mask(buf, start, pos);
    if (end != pos) {
      Bytes.putInt(buf, at, end - start);
      pos = end;
    }
  }

  /** The decimal digits of {@code n}, {@code length} of them as given by the caller. */
  void putDecimal(long n, int length) {
    ensure(length);
    int q = pos + length;
    long m = n < 0 ? n : -n; // negative, so that Long.MIN_VALUE works too
    do {
      buf[--q] = (byte) ('0' - (m % 10));
      m /= 10;
    } while (m != 0);
    if (n < 0) {
      buf[--q] = '-';
    }
    pos += length;
  }

  /** A body: total size, kept length, then the kept bytes, spliced in rather than copied now. */
  void putBody(byte[] body, int length, long total) {
    putLong(Math.max(total, length));
    putInt(length);
    if (length > 0) {
      spliceBytes[splices] = body;
      spliceLength[splices] = length;
      spliceAt[splices] = pos;
      splices++;
      splicedBytes += length;
    }
  }
}
