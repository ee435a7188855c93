package io.mintaro.http;

import java.util.Arrays;

/**
 * Keeps the first bytes of an HTTP body, up to the configured limit, and counts the whole.
 * Integrations feed it every byte they see pass; it never fails.
 */
public final class BodyCapture {
  private final int limit;
  private byte[] bytes;
  private int length;
  private long total;

  BodyCapture(int limit) {
    this.limit = limit;
  }

  public void write(int b) {
    total++;
    if (length < limit) {
      ensure(length + 1);
      bytes[length++] = (byte) b;
    }
  }

  public void write(byte[] b, int off, int len) {
    if (b == null || len <= 0 || off < 0 || len > b.length - off) { // off + len could overflow
      return;
    }
    total += len;
    int keep = Math.min(len, limit - length);
    if (keep > 0) {
      ensure(length + keep);
      System.arraycopy(b, off, bytes, length, keep);
      length += keep;
    }
  }

  public void write(java.nio.ByteBuffer buffer) {
    if (buffer == null) {
      return;
    }
    int len = buffer.remaining();
    total += len;
    int keep = Math.min(len, limit - length);
    if (keep > 0) {
      ensure(length + keep);
      buffer.duplicate().get(bytes, length, keep);
      length += keep;
    }
  }

  /** Bytes seen, kept or not. */
  public long total() {
    return total;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  private void ensure(int needed) {
    if (bytes == null) {
      bytes = new byte[Math.min(limit, Math.max(needed, 256))];
    } else if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(needed, bytes.length * 2)));
    }
  }
}
