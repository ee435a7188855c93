package io.mintaro.internal.context;

import java.util.concurrent.ThreadLocalRandom;

/** Random ids and their lowercase hex form. */
public final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** A random non-zero 64-bit id. */
  public static long randomNonZero() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return id;
  }

  public static String hex(long v) {
    char[] out = new char[16];
    writeHex(v, out, 0);
    return new String(out);
  }

  public static String traceHex(long hi, long lo) {
    char[] out = new char[32];
    writeHex(hi, out, 0);
    writeHex(lo, out, 16);
    return new String(out);
  }

  public static void writeHex(long v, char[] out, int off) {
    for (int i = 15; i >= 0; i--) {
      out[off + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }

  /** Parses 16 hex digits at {@code off}, either case; returns 0 and sets nothing on bad input. */
  public static long parseHex16(CharSequence s, int off) {
    if (s == null || s.length() < off + 16) {
      return 0;
    }
    long v = 0;
    for (int i = off; i < off + 16; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0 || s.charAt(i) > 'f') {
        return 0;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** True when {@code s} is exactly {@code n} hex digits. */
  public static boolean isHex(CharSequence s, int n) {
    if (s == null || s.length() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }
}
