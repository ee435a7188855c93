package io.mintaro.internal.recorder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian primitives and allocation-free UTF-8 on byte arrays. */
final class Bytes {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private Bytes() {}

  static void putLong(byte[] b, int off, long v) {
    LONG.set(b, off, v);
  }

  static long getLong(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }

  static void putInt(byte[] b, int off, int v) {
    INT.set(b, off, v);
  }

  static int getInt(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  /**
   * Bytes needed for {@code s} in UTF-8, cut at a character boundary at {@code max}. Strings and
   * the StringBuilders of logging libraries share this loop: where the caller's type is known the
   * JIT binds {@code charAt} directly, elsewhere its profile sees at most those two types.
   */
  static int utf8Length(CharSequence s, int max) {
    if (s == null) {
      return 0;
    }
    int len = s.length();
    int i = 0;
    int ascii = Math.min(len, max);
    while (i < ascii && s.charAt(i) < 0x80) { // the common case: one byte per char
      i++;
    }
    if (i == len || i == max) {
      return i;
    }
    int n = i;
    for (; i < len; i++) {
      char c = s.charAt(i);
      int w;
      if (c < 0x80) {
        w = 1;
      } else if (c < 0x800) {
        w = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        w = 4;
      } else {
        w = 3;
      }
      if (n + w > max) {
        return n;
      }
      n += w;
      if (w == 4) {
        i++;
      }
    }
    return n;
  }

  /** Writes exactly {@code byteLength} bytes (as computed by {@link #utf8Length}) of {@code s}. */
  static int putUtf8(byte[] b, int off, CharSequence s, int byteLength) {
    int end = off + byteLength;
    int i = 0;
    for (char c; off < end && (c = s.charAt(i)) < 0x80; i++) { // ASCII: a byte per char
      b[off++] = (byte) c;
    }
    for (; off < end; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[off++] = (byte) c;
      } else if (c < 0x800) {
        b[off++] = (byte) (0xC0 | (c >> 6));
        b[off++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[off++] = (byte) (0xF0 | (cp >> 18));
        b[off++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[off++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[off++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        // lone surrogates become U+FFFD, as String.getBytes would do
        if (Character.isSurrogate(c)) {
          c = '\uFFFD';
        }
        b[off++] = (byte) (0xE0 | (c >> 12));
        b[off++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[off++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return off;
  }
}
