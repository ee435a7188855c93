package io.mintaro.internal.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with equal jitter (the AWS Architecture Blog's "Exponential Backoff And
 * Jitter"): after the n-th failure in a row the wait is half of {@code min(ceiling, 250 ms × 2^(n-1))}
 * plus a random part of the other half, so the first retry comes after 125–250 ms and, at a 2 s
 * ceiling, every further one after 1–2 s.
 *
 * <p>Why equal jitter: a collector restart fails every agent of a fleet at the same moment, and a
 * wait that is ±20% of the same number brings them back nearly together at each step; half the
 * wait drawn at random spreads them over a window as wide as the fixed half. The fixed half keeps
 * a broken collector from being retried in a loop.
 *
 * <p>The ceiling is given with each failure rather than fixed, because the agent's depends on
 * whether it holds data the collector is waiting for (see {@code Agent#ceilingMillis}). One
 * instance belongs to one thread.
 */
final class Backoff {
  /** The first wait's upper end; it doubles with each failure in a row. */
  static final long FIRST_MILLIS = 250;

  private int failures;
  /** The ceiling the current wait was drawn under. */
  private long drawnCeilingMillis;
  /** The current wait was drawn by {@link #refused}. */
  private boolean firm;
  private long failedAtNanos;
  private long notBeforeNanos;

  /** After a success: the next failure waits as little as the first. */
  void reset() {
    failures = 0;
    notBeforeNanos = 0;
  }

  /**
   * Counts a failure and draws the wait before the next attempt.
   *
   * @return the wait, in milliseconds
   */
  long failed(long ceilingMillis) {
    failures = Math.min(failures + 1, 32); // 250 ms × 2^31 is past any ceiling
    long wait = draw(ceilingMillis);
    drawnCeilingMillis = ceilingMillis;
    firm = false;
    failedAtNanos = System.nanoTime();
    notBeforeNanos = failedAtNanos + wait * 1_000_000L;
    return wait;
  }

  /**
   * Counts a failure whose wait no lower ceiling shortens later: the collector answered, and
   * refused (a bad key, "too many requests"), so trying again sooner would not help it or us.
   *
   * @return the wait, in milliseconds
   */
  long refused(long ceilingMillis) {
    long wait = failed(ceilingMillis);
    firm = true;
    return wait;
  }

  /**
   * Brings the next attempt forward when the ceiling has dropped since the wait was drawn: the
   * wait is drawn again under the new ceiling, from the time of the failure, and the earlier of
   * the two attempts is kept. So work that arrives while the agent waits out a long back-off is
   * not held for the rest of it.
   */
  void lower(long ceilingMillis) {
    if (notBeforeNanos == 0 || firm || ceilingMillis >= drawnCeilingMillis) {
      return;
    }
    long redrawn = failedAtNanos + draw(ceilingMillis) * 1_000_000L;
    if (redrawn - notBeforeNanos < 0) {
      notBeforeNanos = redrawn;
    }
    drawnCeilingMillis = ceilingMillis;
  }

  /** True when the next attempt may be made. */
  boolean due() {
    return remainingNanos() <= 0;
  }

  /** Time left before the next attempt may be made; zero or less when it may be made now. */
  long remainingNanos() {
    return notBeforeNanos == 0 ? 0 : notBeforeNanos - System.nanoTime();
  }

  private long draw(long ceilingMillis) {
    long step = Math.min(Math.max(1, ceilingMillis), FIRST_MILLIS << (failures - 1));
    long half = step / 2;
    return step - half + ThreadLocalRandom.current().nextLong(half + 1);
  }
}
