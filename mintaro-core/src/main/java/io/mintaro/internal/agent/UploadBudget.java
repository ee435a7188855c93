package io.mintaro.internal.agent;

/**
 * The agent's upload byte rate ({@code MINTARO_UPLOAD_RATE}): a token bucket of one second's worth
 * of bytes. A batch holds what the bucket holds ({@link #available}), but at least one trace, so
 * one large trace is never refused; it may take the bucket into debt, and the next batch waits
 * until the debt is paid. Over any window of T seconds the agent sends at most
 * {@code rate × (T + 1)} bytes plus one trace. Sender thread only.
 */
final class UploadBudget {
  private final long bytesPerSecond;
  private double tokens;
  private long refilledAtNanos;

  /** @param bytesPerSecond the rate; 0 for no limit */
  UploadBudget(long bytesPerSecond, long nowNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
    this.refilledAtNanos = nowNanos;
  }

  /** Whether a batch may be sent now. */
  boolean allows(long nowNanos) {
    if (bytesPerSecond == 0) {
      return true;
    }
    refill(nowNanos);
    return tokens > 0;
  }

  /**
   * The bytes a batch may hold now, so that a batch built after a wait takes only what has been
   * earned, not a queue's worth: at least 1 while {@link #allows} is true (one trace always fits).
   */
  long available(long nowNanos) {
    if (bytesPerSecond == 0) {
      return Long.MAX_VALUE;
    }
    refill(nowNanos);
    return (long) Math.max(1, tokens);
  }

  /** Takes the bytes of a batch just sent (or tried) out of the bucket. */
  void spent(long bytes, long nowNanos) {
    if (bytesPerSecond == 0) {
      return;
    }
    refill(nowNanos);
    tokens -= bytes;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - refilledAtNanos;
    if (elapsed > 0) {
      tokens = Math.min(bytesPerSecond, tokens + elapsed * (bytesPerSecond / 1e9));
      refilledAtNanos = nowNanos;
    }
  }
}
