package io.mintaro.internal.propagation;

/**
 * AWS {@code X-Amzn-Trace-Id}, which load balancers and API gateways set:
 * {@code Root=1-{8 hex epoch}-{24 hex id};Parent={16 hex};Sampled={0|1|?}}, fields separated by
 * {@code ;} in any order, other fields ({@code Self=} from an ALB, {@code Lineage=}, an
 * application's own) allowed and ignored. The 32 hex digits of the root (epoch and id) become
 * the trace id, so a request that entered through AWS keeps its id.
 */
public final class AwsTraceHeader {
  /** Longer values are ignored unread; ALBs limit all headers to far less than this anyway. */
  static final int MAX_LENGTH = 1024;
  /** {@code 1-} + 8 + {@code -} + 24. */
  private static final int ROOT_LENGTH = 35;

  private AwsTraceHeader() {}

  /**
   * Parses the first value of the header. A valid {@code Root} is required; a malformed
   * {@code Parent} is ignored (the trace id is what the header is for); {@code Sampled=0} keeps
   * the caller's decision, anything else counts as sampled.
   */
  public static TraceHeaders.Incoming parse(String value) {
    if (value == null) {
      return null;
    }
    int end = TraceHeaders.firstValueEnd(value, MAX_LENGTH);
    if (end < 0) {
      return null;
    }
    int rootAt = -1;
    long parent = 0;
    byte flags = TraceHeaders.FLAG_SAMPLED;
    int i = 0;
    while (i < end) {
      int semicolon = value.indexOf(';', i);
      if (semicolon < 0 || semicolon > end) {
        semicolon = end;
      }
      int s = TraceHeaders.skipOws(value, i, semicolon);
      int e = TraceHeaders.trimOws(value, s, semicolon);
      if (field(value, s, e, "root")) {
        if (rootAt < 0) {
          int v = s + 5;
          if (e - v != ROOT_LENGTH || value.charAt(v) != '1' || value.charAt(v + 1) != '-'
              || value.charAt(v + 10) != '-' || !TraceHeaders.isHex(value, v + 2, 8)
              || !TraceHeaders.isHex(value, v + 11, 24)) {
            return null;
          }
          rootAt = v;
        }
      } else if (field(value, s, e, "parent")) {
        int v = s + 7;
        if (parent == 0 && e - v == 16 && TraceHeaders.isHex(value, v, 16)) {
          parent = TraceHeaders.parseHex(value, v, 16);
        }
      } else if (field(value, s, e, "sampled")) {
        if (e - s == 9 && value.charAt(s + 8) == '0') {
          flags = 0;
        }
      }
      i = semicolon + 1;
    }
    if (rootAt < 0) {
      return null;
    }
    // epoch (8) and the first 8 digits of the id, then the last 16
    long hi = (TraceHeaders.parseHex(value, rootAt + 2, 8) << 32) | TraceHeaders.parseHex(value, rootAt + 11, 8);
    long lo = TraceHeaders.parseHex(value, rootAt + 19, 16);
    if (hi == 0 && lo == 0) {
      return null;
    }
    String original = end == value.length() ? value : value.substring(0, end);
    return new TraceHeaders.Incoming(hi, lo, parent, flags, TraceHeaders.FORMAT_AWS, original);
  }

  /** True when {@code [s, e)} is {@code name=...}, the name in any case. */
  private static boolean field(String v, int s, int e, String name) {
    int n = name.length();
    return e - s > n && v.charAt(s + n) == '=' && v.regionMatches(true, s, name, 0, n);
  }
}
