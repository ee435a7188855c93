package io.mintaro.internal.recorder;

import static io.mintaro.internal.recorder.FlightRecorder.HEADER_SIZE;

/**
 * Encodes records into a {@link FlightRecorder}. Every method encodes its record in the calling
 * thread's {@link RecordBuffer}, then the recorder claims the space, copies it in and publishes.
 * Variable parts are cut to fixed limits so that one record can never take more than its share of
 * the ring.
 */
public final class RecordWriter {
  static final int MAX_NAME = 1024;
  static final int MAX_HEADER = 8 * 1024;
  static final int MAX_TEXT = 32 * 1024;
  public static final int MAX_HEADERS = 64;
  public static final int MAX_ATTRIBUTES = 64;
  public static final int MAX_HANDLED_ERRORS = 8;
  public static final int MAX_EVENTS = 128;

  private final FlightRecorder recorder;

  public RecordWriter(FlightRecorder recorder) {
    this.recorder = recorder;
  }

  public FlightRecorder recorder() {
    return recorder;
  }

  public void spanStart(long hi, long lo, long spanId, long parentId, byte kind, long startUs, String name) {
    RecordBuffer r = RecordBuffer.begin(RecordType.SPAN_START, hi, lo, spanId, startUs);
    r.putLong(parentId);
    r.putByte(kind);
    r.putString(name, MAX_NAME);
    recorder.append(r, lo);
  }

  public void spanEnd(long hi, long lo, long spanId, long parentId, byte kind, byte status, long startUs,
      long endUs, String name, Object[] attributes, int attributeCount, ErrorInfo error,
      ErrorInfo[] handled, int handledCount, SpanEvent[] events, int eventCount) {
    attributeCount = Math.min(attributeCount, MAX_ATTRIBUTES);
    handledCount = Math.min(handledCount, MAX_HANDLED_ERRORS);
    eventCount = Math.min(eventCount, MAX_EVENTS);
    for (int cuts = 0; ; cuts++) {
      RecordBuffer r = RecordBuffer.begin(RecordType.SPAN_END, hi, lo, spanId, endUs);
      r.putLong(parentId);
      r.putByte(kind);
      r.putByte(status);
      r.putLong(startUs);
      r.putString(name, cut(MAX_NAME, cuts));
      r.putInt(attributeCount);
      for (int i = 0; i < attributeCount * 2; i += 2) {
        r.putString((String) attributes[i], cut(MAX_NAME, cuts));
        putValue(r, attributes[i + 1], cut(MAX_HEADER, cuts));
      }
      putError(r, error, cuts);
      r.putInt(handledCount);
      for (int i = 0; i < handledCount; i++) {
        putError(r, handled[i], cuts);
      }
      r.putInt(eventCount);
      for (int i = 0; i < eventCount; i++) {
        SpanEvent e = events[i];
        int pairs = Math.min(e.attributes.length / 2, SpanEvent.MAX_ATTRIBUTES);
        r.putLong(e.timeUs);
        r.putString(e.name, cut(MAX_NAME, cuts));
        r.putInt(pairs);
        for (int j = 0; j < pairs * 2; j++) {
          r.putString(e.attributes[j], cut(MAX_NAME, cuts));
        }
      }
      if (fits(r, cuts)) {
        recorder.append(r, lo);
        return;
      }
    }
  }

  /** @param message read before this returns, so it may be a buffer the caller reuses */
  public void log(long hi, long lo, long spanId, long timeUs, byte level, String logger, String thread,
      CharSequence message, ErrorInfo error) {
    for (int cuts = 0; ; cuts++) {
      RecordBuffer r = RecordBuffer.begin(RecordType.LOG, hi, lo, spanId, timeUs);
      r.putByte(level);
      r.putString(logger, cut(MAX_NAME, cuts));
      r.putString(thread, cut(MAX_NAME, cuts));
      r.putText(message, cut(MAX_TEXT, cuts));
      putError(r, error, cuts);
      if (fits(r, cuts)) {
        recorder.append(r, lo);
        return;
      }
    }
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
    int requestBodyKept = requestBody == null ? 0 : Math.min(requestBodyLength, requestBody.length);
    int responseBodyKept = responseBody == null ? 0 : Math.min(responseBodyLength, responseBody.length);
    for (int cuts = 0; ; cuts++) {
      int nameMax = cut(MAX_NAME, cuts);
      int headerMax = cut(MAX_HEADER, cuts);
      int textMax = cut(MAX_TEXT, cuts);
      requestBodyLength = requestBodyKept;
      responseBodyLength = responseBodyKept;
      // Bodies share what the rest leaves of the largest record. The rest is bounded from the
      // strings' lengths (at most 3 bytes per char) so that nothing is encoded twice.
      int fixed = HEADER_SIZE + 1 + 4 + 8 + maxSize(method, nameMax) + maxSize(url, headerMax)
          + maxSize(error, textMax) + 4 + maxHeadersSize(requestHeaders, requestHeaderCount, nameMax, headerMax)
          + 8 + 4 + 4 + maxHeadersSize(responseHeaders, responseHeaderCount, nameMax, headerMax) + 8 + 4;
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
      RecordBuffer r = RecordBuffer.begin(RecordType.EXCHANGE, hi, lo, spanId, startUs);
      r.putByte(direction);
      r.putInt(status);
      r.putLong(durationUs);
      r.putString(method, nameMax);
      r.putString(url, headerMax);
      r.putText(error, textMax);
      putHeaders(r, requestHeaders, requestHeaderCount, nameMax, headerMax);
      r.putBody(requestBody, requestBodyLength, requestBodyTotal);
      putHeaders(r, responseHeaders, responseHeaderCount, nameMax, headerMax);
      r.putBody(responseBody, responseBodyLength, responseBodyTotal);
      if (fits(r, cuts)) {
        recorder.append(r, lo);
        return;
      }
    }
  }

  public void breadcrumb(long hi, long lo, long spanId, long timeUs, byte role, String agentId,
      String authority) {
    RecordBuffer r = RecordBuffer.begin(RecordType.BREADCRUMB, hi, lo, spanId, timeUs);
    r.putByte(role);
    r.putString(agentId, MAX_NAME);
    r.putString(authority, MAX_NAME);
    recorder.append(r, lo);
  }

  // --- encoding helpers -------------------------------------------------------------------

  /**
   * A string limit halved {@code cuts} times (at least 16 bytes). A record whose strings at their
   * full limits make it larger than the largest record of a small ring is encoded again with the
   * limits halved, so that it is kept, shortened, rather than dropped.
   */
  private static int cut(int max, int cuts) {
    return Math.max(max >> cuts, 16);
  }

  /** True when the record fits the ring's largest, or its strings cannot be cut any shorter. */
  private boolean fits(RecordBuffer r, int cuts) {
    return r.size() <= recorder.maxRecordSize() || cut(MAX_TEXT, cuts) == 16;
  }

  /** An upper bound of a string's encoded size, from its length alone. */
  private static int maxSize(String s, int max) {
    return 4 + (s == null ? 0 : (int) Math.min(3L * s.length(), max));
  }

  private static int maxHeadersSize(String[] headers, int count, int nameMax, int headerMax) {
    int size = 0;
    for (int i = 0; i < count * 2; i++) {
      size += maxSize(headers[i], i % 2 == 0 ? nameMax : headerMax);
    }
    return size;
  }

  /**
   * An attribute value: a String, or a Long or Boolean that is stored as its decimal or
   * {@code true}/{@code false} text without ever being turned into a String.
   */
  private static void putValue(RecordBuffer r, Object v, int max) {
    if (v instanceof Long) {
      long n = (Long) v;
      int len = decimalLength(n);
      r.putInt(len);
      r.putDecimal(n, len);
      return;
    }
    if (v instanceof Boolean) {
      r.putString((Boolean) v ? "true" : "false", max);
      return;
    }
    r.putText(v == null ? null : v.toString(), max);
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

  private static void putError(RecordBuffer r, ErrorInfo e, int cuts) {
    if (e == null) {
      r.putByte((byte) 0);
      return;
    }
    r.putByte((byte) 1);
    r.putString(e.type, cut(MAX_NAME, cuts));
    r.putText(e.message, cut(MAX_TEXT, cuts));
    r.putText(e.stack, cut(MAX_TEXT, cuts));
  }

  private static void putHeaders(RecordBuffer r, String[] headers, int count, int nameMax, int headerMax) {
    r.putInt(count);
    for (int i = 0; i < count * 2; i++) {
      r.putString(headers[i], i % 2 == 0 ? nameMax : headerMax);
    }
  }
}
