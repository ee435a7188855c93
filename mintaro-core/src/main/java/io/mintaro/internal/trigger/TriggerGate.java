package io.mintaro.internal.trigger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether a trigger is reported: once per trace, and at most at a steady rate per
 * process with a burst allowance, so that an error storm cannot flood the network. Lock-free;
 * both checks are best effort (a rare duplicate is dropped by the collector).
 */
public final class TriggerGate {
  private final long intervalNanos;
  private final long burstNanos;
  private final AtomicLong theoreticalArrival = new AtomicLong(Long.MIN_VALUE / 2);
  private final long[] seenHi;
  private final long[] seenLo;
  private final int seenMask;
  private final AtomicLong rateLimited = new AtomicLong();

  /**
   * @param perSecond steady number of triggers admitted per second
   * @param burst how many may arrive at once above the steady rate
   */
  public TriggerGate(double perSecond, int burst) {
    this.intervalNanos = Math.max(1L, (long) (1_000_000_000L / perSecond));
    this.burstNanos = intervalNanos * Math.max(burst, 1);
    this.seenHi = new long[4096];
    this.seenLo = new long[4096];
    this.seenMask = 4095;
  }

  /** True when this trace has not triggered here before and the rate allows it. */
  public boolean admit(long hi, long lo) {
    int slot = (int) ((lo * 0x9E3779B97F4A7C15L) >>> 52) & seenMask;
    if (seenHi[slot] == hi && seenLo[slot] == lo) {
      return false;
    }
    if (!takeToken()) {
      rateLimited.incrementAndGet();
      return false;
    }
    seenHi[slot] = hi;
    seenLo[slot] = lo;
    return true;
  }

  /** Triggers refused by the rate limit so far. */
  public long rateLimited() {
    return rateLimited.get();
  }

  // Generic cell rate algorithm: one CAS, no timer thread.
  private boolean takeToken() {
    long now = System.nanoTime();
    for (int i = 0; i < 8; i++) {
      long tat = theoreticalArrival.get();
      long next = Math.max(tat, now) + intervalNanos;
      if (next - now > burstNanos) {
        return false;
      }
      if (theoreticalArrival.compareAndSet(tat, next)) {
        return true;
      }
    }
    return false;
  }
}
