package io.mintaro.internal.propagation;

import io.mintaro.internal.context.Ids;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Zipkin B3 (openzipkin/b3-propagation): the single {@code b3} header and the multi-header
 * {@code X-B3-*} form. A B3 span id is the caller's span: Mintaro's server span is its child,
 * as in the "alternate" model the B3 README describes, so no span id is shared between
 * processes. When a header is sent several times, its first value wins (B3, "Multiple Headers").
 */
public final class B3 {
  public static final String SINGLE = "b3";
  public static final String TRACE_ID = "X-B3-TraceId";
  public static final String SPAN_ID = "X-B3-SpanId";
  public static final String PARENT_SPAN_ID = "X-B3-ParentSpanId";
  public static final String SAMPLED = "X-B3-Sampled";
  public static final String FLAGS = "X-B3-Flags";

  /** {@code {32}-{16}-{1}-{16}}: the longest valid {@code b3} value. */
  static final int MAX_SINGLE = 68;
  private static final int MAX_FIELD = 64;

  private static final byte DEFER = -1;
  private static final byte DENY = 0;
  private static final byte ACCEPT = 1;
  private static final byte DEBUG = 2;

  private B3() {}

  /**
   * Parses {@code b3: {traceid}-{spanid}[-{sampling}[-{parentspanid}]]}, with a 16- or
   * 32-digit trace id, or a sampling state alone ({@code 0}, {@code 1} or {@code d}).
   */
  public static TraceHeaders.Incoming parseSingle(String value) {
    if (value == null) {
      return null;
    }
    int end = TraceHeaders.firstValueEnd(value, MAX_SINGLE + 16);
    if (end < 0) {
      return null;
    }
    int s = TraceHeaders.skipOws(value, 0, end);
    int e = TraceHeaders.trimOws(value, s, end);
    int len = e - s;
    if (len == 1) {
      byte sampling = sampling(value.charAt(s));
      return sampling == DEFER ? null : samplingOnly(sampling, TraceHeaders.FORMAT_B3);
    }
    int traceLength = len > 16 && value.charAt(s + 16) == '-' ? 16 : 32;
    if (len < traceLength + 17 || value.charAt(s + traceLength) != '-'
        || !TraceHeaders.isLowerHex(value, s, traceLength)
        || !TraceHeaders.isLowerHex(value, s + traceLength + 1, 16)) {
      return null;
    }
    int at = s + traceLength + 17;
    byte sampling = DEFER;
    long parent = 0;
    if (at < e) {
      if (value.charAt(at) != '-' || at + 2 > e) {
        return null;
      }
      sampling = sampling(value.charAt(at + 1));
      if (sampling == DEFER) {
        return null;
      }
      at += 2;
      if (at < e) {
        if (value.charAt(at) != '-' || e - at != 17 || !TraceHeaders.isLowerHex(value, at + 1, 16)) {
          return null;
        }
        parent = TraceHeaders.parseHex(value, at + 1, 16);
        if (parent == 0) {
          return null;
        }
      }
    }
    long hi = traceLength == 32 ? TraceHeaders.parseHex(value, s, 16) : 0;
    long lo = TraceHeaders.parseHex(value, s + traceLength - 16, 16);
    long span = TraceHeaders.parseHex(value, s + traceLength + 1, 16);
    if ((hi == 0 && lo == 0) || span == 0) {
      return null;
    }
    return new TraceHeaders.Incoming(hi, lo, span, flags(sampling), TraceHeaders.FORMAT_B3, null);
  }

  /**
   * Parses the {@code X-B3-*} headers: trace and span id together (with an optional parent id,
   * {@code X-B3-Sampled} and {@code X-B3-Flags}), or a sampling decision alone. Null when none is
   * present or what is present is malformed.
   */
  public static TraceHeaders.Incoming parseMulti(UnaryOperator<String> headers) {
    String traceId = first(TraceHeaders.read(headers, TRACE_ID));
    String spanId = traceId == null ? null : first(TraceHeaders.read(headers, SPAN_ID));
    byte sampling = DEFER;
    String sampled = first(TraceHeaders.read(headers, SAMPLED));
    if (sampled != null) {
      sampling = sampled(sampled);
      if (sampling == DEFER) {
        return null; // malformed, not absent
      }
    }
    if ("1".equals(first(TraceHeaders.read(headers, FLAGS)))) {
      sampling = DEBUG;
    }
    if (traceId == null) {
      return sampling == DEFER ? null : samplingOnly(sampling, TraceHeaders.FORMAT_B3_MULTI);
    }
    if (spanId == null || !(traceId.length() == 16 || traceId.length() == 32)
        || !TraceHeaders.isLowerHex(traceId, 0, traceId.length()) || spanId.length() != 16
        || !TraceHeaders.isLowerHex(spanId, 0, 16)) {
      return null;
    }
    String parentId = first(TraceHeaders.read(headers, PARENT_SPAN_ID));
    if (parentId != null && (parentId.length() != 16 || !TraceHeaders.isLowerHex(parentId, 0, 16)
        || TraceHeaders.allZero(parentId, 0, 16))) {
      return null;
    }
    int t = traceId.length();
    long hi = t == 32 ? TraceHeaders.parseHex(traceId, 0, 16) : 0;
    long lo = TraceHeaders.parseHex(traceId, t - 16, 16);
    long span = TraceHeaders.parseHex(spanId, 0, 16);
    if ((hi == 0 && lo == 0) || span == 0) {
      return null;
    }
    return new TraceHeaders.Incoming(hi, lo, span, flags(sampling), TraceHeaders.FORMAT_B3_MULTI, null);
  }

  /**
   * {@code b3} for an outgoing call: a 16-digit trace id when its high half is zero (as the
   * caller sent it), the sampling state ({@code d} for a debug trace), and the parent span id when
   * there is one.
   */
  public static String formatSingle(long hi, long lo, long spanId, long parentSpanId, byte flags) {
    int traceLength = hi == 0 ? 16 : 32;
    char[] out = new char[traceLength + 19 + (parentSpanId == 0 ? 0 : 17)];
    int at = 0;
    if (hi != 0) {
      Ids.writeHex(hi, out, 0);
      at = 16;
    }
    Ids.writeHex(lo, out, at);
    at += 16;
    out[at++] = '-';
    Ids.writeHex(spanId, out, at);
    at += 16;
    out[at++] = '-';
    out[at++] = (flags & TraceHeaders.FLAG_DEBUG) != 0 ? 'd' : (flags & TraceHeaders.FLAG_SAMPLED) != 0 ? '1' : '0';
    if (parentSpanId != 0) {
      out[at++] = '-';
      Ids.writeHex(parentSpanId, out, at);
    }
    return new String(out);
  }

  /** The {@code X-B3-*} headers for an outgoing call; a debug trace sends {@code X-B3-Flags: 1} instead of a sampled state. */
  public static void writeMulti(long hi, long lo, long spanId, long parentSpanId, byte flags,
      BiConsumer<String, String> setter) {
    setter.accept(TRACE_ID, hi == 0 ? Ids.hex(lo) : Ids.traceHex(hi, lo));
    setter.accept(SPAN_ID, Ids.hex(spanId));
    if (parentSpanId != 0) {
      setter.accept(PARENT_SPAN_ID, Ids.hex(parentSpanId));
    }
    if ((flags & TraceHeaders.FLAG_DEBUG) != 0) {
      setter.accept(FLAGS, "1");
    } else {
      setter.accept(SAMPLED, (flags & TraceHeaders.FLAG_SAMPLED) != 0 ? "1" : "0");
    }
  }

  /** The first of a header's combined values, without optional whitespace; null when absent or oversized. */
  private static String first(String value) {
    if (value == null) {
      return null;
    }
    int end = TraceHeaders.firstValueEnd(value, MAX_FIELD);
    if (end < 0) {
      return "-"; // present but malformed: never a valid id or state
    }
    int s = TraceHeaders.skipOws(value, 0, end);
    int e = TraceHeaders.trimOws(value, s, end);
    return s == 0 && e == value.length() ? value : value.substring(s, e);
  }

  private static byte sampling(char c) {
    switch (c) {
      case '0':
        return DENY;
      case '1':
        return ACCEPT;
      case 'd':
        return DEBUG;
      default:
        return DEFER;
    }
  }

  /** {@code X-B3-Sampled}: {@code 1} or {@code 0}, and the legacy {@code true}/{@code false} B3 allows. */
  private static byte sampled(String v) {
    if (v.equals("1") || v.equalsIgnoreCase("true")) {
      return ACCEPT;
    }
    if (v.equals("0") || v.equalsIgnoreCase("false")) {
      return DENY;
    }
    return DEFER;
  }

  /** Mintaro records every trace, so a deferred decision becomes an accept. */
  private static byte flags(byte sampling) {
    switch (sampling) {
      case DENY:
        return 0;
      case DEBUG:
        return TraceHeaders.FLAG_SAMPLED | TraceHeaders.FLAG_DEBUG;
      default:
        return TraceHeaders.FLAG_SAMPLED;
    }
  }

  private static TraceHeaders.Incoming samplingOnly(byte sampling, byte format) {
    return new TraceHeaders.Incoming(0, 0, 0, flags(sampling), format, null);
  }
}
