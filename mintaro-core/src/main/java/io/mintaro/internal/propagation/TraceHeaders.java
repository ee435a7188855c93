package io.mintaro.internal.propagation;

import io.mintaro.internal.context.Ids;
import java.util.function.UnaryOperator;

/**
 * Reads and writes the trace headers. On the way in, {@link #extract} tries the formats in a
 * fixed order (a valid {@code traceparent}, {@code b3}, {@code X-B3-*}, {@code X-Mintaro-Trace},
 * {@code X-Amzn-Trace-Id}) and the first one present and valid decides. Parsing is strict, never
 * throws, never uses regular expressions, and reads at most a bounded prefix of any value:
 * anything malformed yields {@code null} and the request starts a new trace.
 *
 * <p>Header values reach this class as one string per header name; a header sent several times
 * arrives as its values joined with {@code ","} (RFC 9110 section 5.3). For {@code traceparent}
 * and {@code X-Mintaro-Trace} such a value is invalid, which is what W3C Trace Context wants of a
 * repeated {@code traceparent}; for B3 and AWS the first value wins.
 */
public final class TraceHeaders {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  public static final String MINTARO_TRACE = "X-Mintaro-Trace";
  public static final String CALLER = "X-Mintaro-Caller";
  public static final String CALLEE = "X-Mintaro-Callee";
  public static final String AWS_TRACE = "X-Amzn-Trace-Id";
  /** The server span attribute that keeps an {@code X-Amzn-Trace-Id} that supplied the trace, as received. */
  public static final String AWS_TRACE_ATTRIBUTE = "aws.xray.trace_header";

  /** W3C trace-flags: the caller may have recorded trace data. */
  public static final byte FLAG_SAMPLED = 0x01;
  /** W3C Trace Context Level 2: at least the right-most 7 bytes of the trace id are random. */
  public static final byte FLAG_RANDOM = 0x02;
  /** The flags W3C defines; every other bit is sent as zero. */
  public static final byte W3C_FLAGS = FLAG_SAMPLED | FLAG_RANDOM;
  /** Internal only, never sent in {@code traceparent}: the B3 caller asked for a debug trace. */
  public static final byte FLAG_DEBUG = 0x40;
  /** The flags of a trace whose ids Mintaro generated (random, and recorded). */
  public static final byte NEW_TRACE_FLAGS = FLAG_SAMPLED | FLAG_RANDOM;

  public static final byte FORMAT_W3C = 1;
  public static final byte FORMAT_B3 = 2;
  public static final byte FORMAT_B3_MULTI = 3;
  public static final byte FORMAT_MINTARO = 4;
  public static final byte FORMAT_AWS = 5;

  /**
   * Longest {@code traceparent} read: version 00 is 55 characters, later versions only add
   * fields; anything longer is "prohibitively large" (section 3.2.4) and restarts the trace.
   */
  static final int MAX_TRACEPARENT = 1024;

  private TraceHeaders() {}

  /**
   * A parsed incoming trace position. A trace id of zero means the caller sent only a sampling
   * decision (B3): the request starts a new trace that keeps the caller's decision.
   */
  public static final class Incoming {
    public final long traceHi;
    public final long traceLo;
    /** The caller's span id; 0 when the caller sent only a trace id. */
    public final long parentSpanId;
    public final byte flags;
    /** Which header supplied it: one of the {@code FORMAT_} constants. */
    public final byte format;
    /** The {@code X-Amzn-Trace-Id} value as received, when that header supplied the trace. */
    public final String awsTraceHeader;

    Incoming(long traceHi, long traceLo, long parentSpanId, byte flags, byte format, String awsTraceHeader) {
      this.traceHi = traceHi;
      this.traceLo = traceLo;
      this.parentSpanId = parentSpanId;
      this.flags = flags;
      this.format = format;
      this.awsTraceHeader = awsTraceHeader;
    }

    /** True when the caller sent a decision but no trace id to continue. */
    public boolean samplingOnly() {
      return traceHi == 0 && traceLo == 0;
    }
  }

  /** One request header through the integration's reader; null when it is absent or the reader fails. */
  public static String read(UnaryOperator<String> headers, String name) {
    if (headers == null) {
      return null;
    }
    try {
      return headers.apply(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The caller's trace position, from the first format present and valid, in this order: a valid
   * {@code traceparent}, {@code b3}, {@code X-B3-*}, {@code X-Mintaro-Trace},
   * {@code X-Amzn-Trace-Id}. Null when none is: the request starts a new trace.
   */
  public static Incoming extract(UnaryOperator<String> headers) {
    Incoming in = parseTraceparent(read(headers, TRACEPARENT));
    if (in != null) {
      return in;
    }
    String b3 = read(headers, B3.SINGLE);
    if (b3 != null) {
      in = B3.parseSingle(b3);
      if (in != null) {
        return in;
      }
    }
    in = B3.parseMulti(headers);
    if (in != null) {
      return in;
    }
    in = parseMintaroTrace(read(headers, MINTARO_TRACE));
    if (in != null) {
      return in;
    }
    String aws = read(headers, AWS_TRACE);
    return aws == null ? null : AwsTraceHeader.parse(aws);
  }

  /**
   * Parses a traceparent value: version 00, or a later version read as version 00 would be (its
   * first 55 characters, followed by the end or a dash). Optional whitespace around it is
   * ignored. Flags other than sampled and random are dropped, as W3C asks.
   */
  public static Incoming parseTraceparent(String value) {
    if (value == null || value.length() > MAX_TRACEPARENT) {
      return null;
    }
    int s = skipOws(value, 0, value.length());
    int e = trimOws(value, s, value.length());
    int len = e - s;
    if (len < 55 || value.charAt(s + 2) != '-' || value.charAt(s + 35) != '-' || value.charAt(s + 52) != '-') {
      return null;
    }
    if (!isLowerHex(value, s, 2) || !isLowerHex(value, s + 3, 32) || !isLowerHex(value, s + 36, 16)
        || !isLowerHex(value, s + 53, 2)) {
      return null;
    }
    char v0 = value.charAt(s);
    char v1 = value.charAt(s + 1);
    if (v0 == 'f' && v1 == 'f') {
      return null;
    }
    if (len != 55) {
      // version 00 ends after the flags; a later one continues with a dash. A comma means two
      // traceparent headers were combined into one value: the specification restarts the trace.
      if ((v0 == '0' && v1 == '0') || value.charAt(s + 55) != '-' || value.indexOf(',', s + 55) >= 0) {
        return null;
      }
    }
    long hi = parseHex(value, s + 3, 16);
    long lo = parseHex(value, s + 19, 16);
    long parent = parseHex(value, s + 36, 16);
    if ((hi == 0 && lo == 0) || parent == 0) {
      return null;
    }
    byte flags = (byte) (parseHex(value, s + 53, 2) & W3C_FLAGS);
    return new Incoming(hi, lo, parent, flags, FORMAT_W3C, null);
  }

  /** Parses an {@code X-Mintaro-Trace} value: 32 hex digits, either case, not all zero. */
  public static Incoming parseMintaroTrace(String value) {
    if (value == null || value.length() > 64) {
      return null;
    }
    int s = skipOws(value, 0, value.length());
    int e = trimOws(value, s, value.length());
    if (e - s != 32 || !isHex(value, s, 32)) {
      return null;
    }
    long hi = parseHex(value, s, 16);
    long lo = parseHex(value, s + 16, 16);
    if (hi == 0 && lo == 0) {
      return null;
    }
    return new Incoming(hi, lo, 0, FLAG_SAMPLED, FORMAT_MINTARO, null);
  }

  /** Validates a breadcrumb agent id (16 lowercase hex digits). */
  public static String parseAgentId(String value) {
    if (value == null || value.length() > 64) {
      return null;
    }
    int s = skipOws(value, 0, value.length());
    int e = trimOws(value, s, value.length());
    if (e - s != 16 || !isLowerHex(value, s, 16)) {
      return null;
    }
    return s == 0 && e == value.length() ? value : value.substring(s, e);
  }

  /** A version 00 traceparent; only the flags W3C defines are written. */
  public static String formatTraceparent(long hi, long lo, long spanId, byte flags) {
    char[] out = new char[55];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    Ids.writeHex(hi, out, 3);
    Ids.writeHex(lo, out, 19);
    out[35] = '-';
    Ids.writeHex(spanId, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = (char) ('0' + (flags & W3C_FLAGS));
    return new String(out);
  }

  /** Mintaro's own tracestate member, {@code mintaro=<agent id>}; cached, as agents keep their id. */
  public static String ownMember(String agentId) {
    return TraceState.ownMember(agentId);
  }

  // --- small scanners shared by the parsers of this package ---

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** The first index at or after {@code from} that is not optional whitespace. */
  static int skipOws(CharSequence s, int from, int to) {
    while (from < to && isOws(s.charAt(from))) {
      from++;
    }
    return from;
  }

  /** The end of {@code [from, to)} with trailing optional whitespace removed. */
  static int trimOws(CharSequence s, int from, int to) {
    while (to > from && isOws(s.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  /**
   * The end of the first comma-separated value of {@code s}, or -1 when that value is longer than
   * {@code max} characters (so that a hostile value is never scanned past the limit).
   */
  static int firstValueEnd(String s, int max) {
    int limit = Math.min(s.length(), max + 1);
    for (int i = 0; i < limit; i++) {
      if (s.charAt(i) == ',') {
        return i;
      }
    }
    return s.length() <= max ? s.length() : -1;
  }

  static boolean isLowerHex(CharSequence s, int off, int n) {
    if (off < 0 || s.length() < off + n) {
      return false;
    }
    for (int i = off; i < off + n; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Hex digits of either case; only ASCII ones, unlike {@link Character#digit}. */
  static boolean isHex(CharSequence s, int off, int n) {
    if (off < 0 || s.length() < off + n) {
      return false;
    }
    for (int i = off; i < off + n; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Parses up to 16 hex digits already checked by {@link #isHex}. */
  static long parseHex(CharSequence s, int off, int n) {
    long v = 0;
    for (int i = off; i < off + n; i++) {
      char c = s.charAt(i);
      int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
      v = (v << 4) | d;
    }
    return v;
  }

  static boolean allZero(CharSequence s, int off, int n) {
    for (int i = off; i < off + n; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
