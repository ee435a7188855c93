package io.mintaro.internal.propagation;

import io.mintaro.internal.context.Ids;

/**
 * Parses and formats the trace headers: W3C {@code traceparent} and Mintaro's
 * {@code X-Mintaro-Trace}. Parsing is strict and never throws: anything malformed yields
 * {@code null} and the request starts a new trace.
 */
public final class TraceHeaders {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  public static final String MINTARO_TRACE = "X-Mintaro-Trace";
  public static final String CALLER = "X-Mintaro-Caller";
  public static final String CALLEE = "X-Mintaro-Callee";

  /** Longest tracestate passed on (the W3C limit is 32 members of at most 256 characters). */
  static final int MAX_TRACESTATE = 512;

  private TraceHeaders() {}

  /** A parsed incoming trace position. */
  public static final class Incoming {
    public final long traceHi;
    public final long traceLo;
    /** The caller's span id; 0 when the caller sent only a trace id. */
    public final long parentSpanId;
    public final byte flags;

    Incoming(long traceHi, long traceLo, long parentSpanId, byte flags) {
      this.traceHi = traceHi;
      this.traceLo = traceLo;
      this.parentSpanId = parentSpanId;
      this.flags = flags;
    }
  }

  /** Parses a traceparent value (version 00, or a later version read as 00 would be). */
  public static Incoming parseTraceparent(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (v.length() < 55 || (v.length() > 55 && v.charAt(55) != '-')) {
      return null;
    }
    if (v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
      return null;
    }
    if (!isLowerHex(v, 0, 2) || v.startsWith("ff") || !isLowerHex(v, 3, 32)
        || !isLowerHex(v, 36, 16) || !isLowerHex(v, 53, 2)) {
      return null;
    }
    if (v.startsWith("00") && v.length() != 55) {
      return null;
    }
    long hi = Ids.parseHex16(v, 3);
    long lo = Ids.parseHex16(v, 19);
    long parent = Ids.parseHex16(v, 36);
    if ((hi == 0 && lo == 0) || parent == 0) {
      return null;
    }
    byte flags = (byte) Integer.parseInt(v, 53, 55, 16);
    return new Incoming(hi, lo, parent, flags);
  }

  /** Parses an {@code X-Mintaro-Trace} value: 32 hex digits, either case, not all zero. */
  public static Incoming parseMintaroTrace(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (!Ids.isHex(v, 32)) {
      return null;
    }
    long hi = Ids.parseHex16(v.toLowerCase(java.util.Locale.ROOT), 0);
    long lo = Ids.parseHex16(v.toLowerCase(java.util.Locale.ROOT), 16);
    if (hi == 0 && lo == 0) {
      return null;
    }
    return new Incoming(hi, lo, 0, (byte) 1);
  }

  /** Returns the tracestate to pass on, or null when it is absent or unreasonably large. */
  public static String sanitizeTraceState(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_TRACESTATE) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return null;
      }
    }
    return value;
  }

  /** Validates a breadcrumb agent id (16 lowercase hex digits). */
  public static String parseAgentId(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    return isLowerHex(v, 0, 16) && v.length() == 16 ? v : null;
  }

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
    out[53] = Character.forDigit((flags >> 4) & 0xF, 16);
    out[54] = Character.forDigit(flags & 0xF, 16);
    return new String(out);
  }

  private static boolean isLowerHex(String s, int off, int n) {
    if (s.length() < off + n) {
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
}
