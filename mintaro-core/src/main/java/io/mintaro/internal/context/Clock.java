package io.mintaro.internal.context;

/** Microseconds since the epoch from the monotonic clock: precise, cheap and never going back. */
public final class Clock {
  private static final long BASE_NANOS = System.nanoTime();
  private static final long BASE_EPOCH_MICROS;

  static {
    java.time.Instant now = java.time.Instant.now();
    BASE_EPOCH_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private Clock() {}

  public static long nowMicros() {
    return BASE_EPOCH_MICROS + (System.nanoTime() - BASE_NANOS) / 1_000;
  }
}
