package io.mintaro.internal.recorder;

import static io.mintaro.internal.recorder.FlightRecorder.HEADER_SIZE;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_POS;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_SIZE;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_SPAN;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TIME;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TRACE_HI;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TRACE_LO;
import static io.mintaro.internal.recorder.FlightRecorder.OFF_TYPE;

/**
 * Encodes records into a {@link FlightRecorder}. Every method computes the record's size, claims
 * it, writes in place and publishes. Variable parts are cut to fixed limits so that one record
 * can never take more than its share of the ring.
 */
public final class RecordWriter {
  static final int MAX_NAME = 1024;
  static final int MAX_HEADER = 8 * 1024;
  static final int MAX_TEXT = 32 * 1024;
  public static final int MAX_HEADERS = 64;
  public static final int MAX_ATTRIBUTES = 64;
  public static final int MAX_HANDLED_ERRORS = 8;

  private final FlightRecorder recorder;
  private final byte[] ring;

  public RecordWriter(FlightRecorder recorder) {
    this.recorder = recorder;
    this.ring = recorder.ring;
  }

  public FlightRecorder recorder() {
    return recorder;
  }

  public void spanStart(long hi, long lo, long spanId, long parentId, byte kind, long startUs, String name) {
    int nameLen = Bytes.utf8Length(name, MAX_NAME);
    int size = HEADER_SIZE + 8 + 1 + 4 + nameLen;
    long position = begin(size, RecordType.SPAN_START, hi, lo, spanId, startUs);
    if (position < 0) {
      return;
    }
    int off = recorder.offsetOf(position);
    Bytes.putLong(ring, off + HEADER_SIZE, parentId);
    ring[off + HEADER_SIZE + 8] = kind;
    putString(off + HEADER_SIZE + 9, name, nameLen);
    end(position, size, lo);
  }

  public void spanEnd(long hi, long lo, long spanId, long parentId, byte kind, byte status, long startUs,
      long endUs, String name, Object[] attributes, int attributeCount, ErrorInfo error,
      ErrorInfo[] handled, int handledCount) {
    attributeCount = Math.min(attributeCount, MAX_ATTRIBUTES);
    handledCount = Math.min(handledCount, MAX_HANDLED_ERRORS);
    int size = HEADER_SIZE + 8 + 1 + 1 + 8 + strSize(name, MAX_NAME) + 4;
    for (int i = 0; i < attributeCount * 2; i += 2) {
      size += strSize((String) attributes[i], MAX_NAME) + valueSize(attributes[i + 1]);
    }
    size += errorSize(error) + 4;
    for (int i = 0; i < handledCount; i++) {
      size += errorSize(handled[i]);
    }
    long position = begin(size, RecordType.SPAN_END, hi, lo, spanId, endUs);
    if (position < 0) {
      return;
    }
    int off = recorder.offsetOf(position);
    int p = off + HEADER_SIZE;
    Bytes.putLong(ring, p, parentId);
    ring[p + 8] = kind;
    ring[p + 9] = status;
    Bytes.putLong(ring, p + 10, startUs);
    p = putString(p + 18, name, MAX_NAME);
    Bytes.putInt(ring, p, attributeCount);
    p += 4;
    for (int i = 0; i < attributeCount * 2; i += 2) {
      p = putString(p, (String) attributes[i], MAX_NAME);
      p = putValue(p, attributes[i + 1]);
    }
    p = putError(p, error);
    Bytes.putInt(ring, p, handledCount);
    p += 4;
    for (int i = 0; i < handledCount; i++) {
      p = putError(p, handled[i]);
    }
    end(position, size, lo);
  }

  public void log(long hi, long lo, long spanId, long timeUs, byte level, String logger, String thread,
      String message, ErrorInfo error) {
    int size = HEADER_SIZE + 1 + strSize(logger, MAX_NAME) + strSize(thread, MAX_NAME)
        + strSize(message, MAX_TEXT) + errorSize(error);
    long position = begin(size, RecordType.LOG, hi, lo, spanId, timeUs);
    if (position < 0) {
      return;
    }
    int off = recorder.offsetOf(position);
    int p = off + HEADER_SIZE;
    ring[p++] = level;
    p = putString(p, logger, MAX_NAME);
    p = putString(p, thread, MAX_NAME);
    p = putString(p, message, MAX_TEXT);
    putError(p, error);
    end(position, size, lo);
  }

  /**
   * @param requestHeaders names and values alternating; {@code requestHeaderCount} pairs are used
   */
  public void exchange(long hi, long lo, long spanId, long startUs, long durationUs, byte direction,
      int status, String method, String url, String error, String[] requestHeaders,
      int requestHeaderCount, byte[] requestBody, int requestBodyLength, long requestBodyTotal,
      String[] responseHeaders, int responseHeaderCount, byte[] responseBody, int responseBodyLength,
      long responseBodyTotal) {
    requestHeaderCount = Math.min(requestHeaderCount, MAX_HEADERS);
    responseHeaderCount = Math.min(responseHeaderCount, MAX_HEADERS);
    int fixed = HEADER_SIZE + 1 + 4 + 8 + strSize(method, MAX_NAME) + strSize(url, MAX_HEADER)
        + strSize(error, MAX_TEXT) + 4 + headersSize(requestHeaders, requestHeaderCount) + 8 + 4
        + 4 + headersSize(responseHeaders, responseHeaderCount) + 8 + 4;
    int room = recorder.maxRecordSize() - fixed - 8;
    if (requestBodyLength + responseBodyLength > room) {
      int half = Math.max(room / 2, 0);
      if (requestBodyLength > half && responseBodyLength > half) {
        requestBodyLength = half;
        responseBodyLength = half;
      } else if (requestBodyLength > half) {
        requestBodyLength = Math.max(room - responseBodyLength, 0);
      } else {
        responseBodyLength = Math.max(room - requestBodyLength, 0);
      }
    }
    int size = fixed + requestBodyLength + responseBodyLength;
    long position = begin(size, RecordType.EXCHANGE, hi, lo, spanId, startUs);
    if (position < 0) {
      return;
    }
    int off = recorder.offsetOf(position);
    int p = off + HEADER_SIZE;
    ring[p] = direction;
    Bytes.putInt(ring, p + 1, status);
    Bytes.putLong(ring, p + 5, durationUs);
    p = putString(p + 13, method, MAX_NAME);
    p = putString(p, url, MAX_HEADER);
    p = putString(p, error, MAX_TEXT);
    p = putHeaders(p, requestHeaders, requestHeaderCount);
    p = putBody(p, requestBody, requestBodyLength, requestBodyTotal);
    p = putHeaders(p, responseHeaders, responseHeaderCount);
    putBody(p, responseBody, responseBodyLength, responseBodyTotal);
    end(position, size, lo);
  }

  public void breadcrumb(long hi, long lo, long spanId, long timeUs, byte role, String agentId,
      String authority) {
    int size = HEADER_SIZE + 1 + strSize(agentId, MAX_NAME) + strSize(authority, MAX_NAME);
    long position = begin(size, RecordType.BREADCRUMB, hi, lo, spanId, timeUs);
    if (position < 0) {
      return;
    }
    int off = recorder.offsetOf(position);
    int p = off + HEADER_SIZE;
    ring[p++] = role;
    p = putString(p, agentId, MAX_NAME);
    putString(p, authority, MAX_NAME);
    end(position, size, lo);
  }

  // --- encoding helpers -------------------------------------------------------------------

  /** Claims and fills the header; returns the record's position or -1 when the record cannot fit. */
  private long begin(int size, byte type, long hi, long lo, long spanId, long timeUs) {
    int aligned = (size + 7) & ~7;
    if (aligned > recorder.maxRecordSize()) {
      return -1;
    }
    long position = recorder.claim(aligned);
    int off = recorder.offsetOf(position);
    Bytes.putInt(ring, off + OFF_SIZE, aligned);
    ring[off + OFF_TYPE] = type;
    Bytes.putLong(ring, off + OFF_POS, position);
    Bytes.putLong(ring, off + OFF_TRACE_HI, hi);
    Bytes.putLong(ring, off + OFF_TRACE_LO, lo);
    Bytes.putLong(ring, off + OFF_SPAN, spanId);
    Bytes.putLong(ring, off + OFF_TIME, timeUs);
    return position;
  }

  /**
   * Publishes the record. Its position is passed on rather than read back from the ring: a writer
   * that was lapped while writing would read another record's bytes there.
   */
  private void end(long position, int size, long lo) {
    recorder.publish(position, (size + 7) & ~7, lo);
  }

  private static int strSize(String s, int max) {
    return 4 + Bytes.utf8Length(s, max);
  }

  /**
   * An attribute value: a String, or a Long or Boolean that is stored as its decimal or
   * {@code true}/{@code false} text without ever being turned into a String.
   */
  private static int valueSize(Object v) {
    if (v instanceof Long) {
      return 4 + decimalLength((Long) v);
    }
    if (v instanceof Boolean) {
      return (Boolean) v ? 8 : 9;
    }
    return strSize(v == null ? null : v.toString(), MAX_HEADER);
  }

  private int putValue(int p, Object v) {
    if (v instanceof Long) {
      long n = (Long) v;
      int len = decimalLength(n);
      Bytes.putInt(ring, p, len);
      int end = p + 4 + len;
      int q = end;
      long m = n < 0 ? n : -n; // negative, so that Long.MIN_VALUE works too
      do {
        ring[--q] = (byte) ('0' - (m % 10));
        m /= 10;
      } while (m != 0);
      if (n < 0) {
        ring[--q] = '-';
      }
      return end;
    }
    if (v instanceof Boolean) {
      return putString(p, (Boolean) v ? "true" : "false", MAX_HEADER);
    }
    return putString(p, v == null ? null : v.toString(), MAX_HEADER);
  }

  static int decimalLength(long n) {
    int len = n < 0 ? 2 : 1;
    long m = n < 0 ? n : -n;
    while (m <= -10) {
      m /= 10;
      len++;
    }
    return len;
  }

  private static int errorSize(ErrorInfo e) {
    return e == null ? 1 : 1 + strSize(e.type, MAX_NAME) + strSize(e.message, MAX_TEXT) + strSize(e.stack, MAX_TEXT);
  }

  private static int headersSize(String[] headers, int count) {
    int size = 0;
    for (int i = 0; i < count * 2; i++) {
      size += strSize(headers[i], i % 2 == 0 ? MAX_NAME : MAX_HEADER);
    }
    return size;
  }

  private int putString(int p, String s, int max) {
    if (s == null) {
      Bytes.putInt(ring, p, -1);
      return p + 4;
    }
    // ASCII (nearly every name, header and message) is copied in the same pass that measures it.
    // Those bytes never exceed the string's UTF-8 length, so they stay inside the claimed space.
    int n = s.length();
    int limit = Math.min(n, max);
    int q = p + 4;
    int i = 0;
    for (char c; i < limit && (c = s.charAt(i)) < 0x80; i++) {
      ring[q + i] = (byte) c;
    }
    if (i == n || i == max) {
      Bytes.putInt(ring, p, i);
      return q + i;
    }
    int len = Bytes.utf8Length(s, max);
    Bytes.putInt(ring, p, len);
    return Bytes.putUtf8(ring, q, s, len);
  }

  private int putError(int p, ErrorInfo e) {
    if (e == null) {
      ring[p] = 0;
      return p + 1;
    }
    ring[p] = 1;
    p = putString(p + 1, e.type, MAX_NAME);
    p = putString(p, e.message, MAX_TEXT);
    return putString(p, e.stack, MAX_TEXT);
  }

  private int putHeaders(int p, String[] headers, int count) {
    Bytes.putInt(ring, p, count);
    p += 4;
    for (int i = 0; i < count * 2; i++) {
      p = putString(p, headers[i], i % 2 == 0 ? MAX_NAME : MAX_HEADER);
    }
    return p;
  }

  private int putBody(int p, byte[] body, int length, long total) {
    Bytes.putLong(ring, p, Math.max(total, length));
    Bytes.putInt(ring, p + 8, length);
    if (length > 0) {
      System.arraycopy(body, 0, ring, p + 12, length);
    }
    return p + 12 + length;
  }
}
