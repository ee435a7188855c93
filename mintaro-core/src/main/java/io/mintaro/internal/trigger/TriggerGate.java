package io.mintaro.internal.trigger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides what becomes of a trigger: its trace is collected, or the trigger is only counted, or
 * it repeats a trace that triggered already. A trace is collected once per process; each local group
 * (kind, endpoint, problem) gets its own budget per minute, so a flood of one error cannot use
 * up the collections a new or rare one needs; and the process as a whole stays under a steady
 * rate with a burst allowance, so an error storm cannot flood the network. Lock-free; the
 * checks are best effort (a rare duplicate is dropped by the collector).
 */
public final class TriggerGate {
  /** The trace is collected. */
  public static final int COLLECT = 0;
  /** The trace triggered here before, and was collected or counted then: nothing more to do. */
  public static final int REPEAT = 1;
  /** A limit refused the collection: the trigger is only counted. */
  public static final int COUNT = 2;

  /** Groups with a budget of their own; past this, new groups share one. */
  static final int MAX_GROUPS = 1024;
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final Budget process;
  private final long groupIntervalNanos;
  private final long groupBurstNanos;
  private final ConcurrentHashMap<String, AtomicLong> groups = new ConcurrentHashMap<>();
  private final AtomicLong sharedGroup = new AtomicLong(Long.MIN_VALUE / 2);
  private final long[] seenHi;
  private final long[] seenLo;
  private final int seenMask;
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong groupLimited = new AtomicLong();

  /**
   * @param perSecond steady number of collections per second for the process
   * @param burst how many may arrive at once above the steady rate
   * @param perGroupPerMinute collections per local group per minute, all of them allowed at once
   */
  public TriggerGate(double perSecond, int burst, int perGroupPerMinute) {
    long interval = Math.max(1L, (long) (1_000_000_000L / perSecond));
    this.process = new Budget(interval, interval * Math.max(burst, 1));
    this.groupIntervalNanos = MINUTE_NANOS / Math.max(perGroupPerMinute, 1);
    this.groupBurstNanos = groupIntervalNanos * Math.max(perGroupPerMinute, 1);
    this.seenHi = new long[4096];
    this.seenLo = new long[4096];
    this.seenMask = 4095;
  }

  /**
   * What to do with a trigger of this trace in this local group.
   *
   * @param group the trigger's local group, {@code kind \n endpoint \n problem}
   * @return {@link #COLLECT}, {@link #REPEAT} or {@link #COUNT}
   */
  public int decide(long hi, long lo, String group) {
    int slot = (int) ((lo * 0x9E3779B97F4A7C15L) >>> 52) & seenMask;
    if (seenHi[slot] == hi && seenLo[slot] == lo) {
      return REPEAT;
    }
    // The first trigger of a trace decides for all its others here: a trace counted once is not
    // collected by a later trigger of another group, nor counted twice.
    seenHi[slot] = hi;
    seenLo[slot] = lo;
    long now = System.nanoTime();
    if (!take(groupBudget(group), groupIntervalNanos, groupBurstNanos, now)) {
      groupLimited.incrementAndGet();
      return COUNT;
    }
    if (!take(process.theoreticalArrival, process.intervalNanos, process.burstNanos, now)) {
      rateLimited.incrementAndGet();
      return COUNT;
    }
    return COLLECT;
  }

  /** Triggers refused by the process's rate limit so far. */
  public long rateLimited() {
    return rateLimited.get();
  }

  /** Triggers refused by their group's budget so far. */
  public long groupLimited() {
    return groupLimited.get();
  }

  private AtomicLong groupBudget(String group) {
    AtomicLong budget = groups.get(group);
    if (budget != null) {
      return budget;
    }
    if (groups.size() >= MAX_GROUPS) {
      return sharedGroup;
    }
    return groups.computeIfAbsent(group, g -> new AtomicLong(Long.MIN_VALUE / 2));
  }

  // Generic cell rate algorithm: one CAS, no timer thread.
  private static boolean take(AtomicLong theoreticalArrival, long intervalNanos, long burstNanos, long now) {
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

  private static final class Budget {
    final AtomicLong theoreticalArrival = new AtomicLong(Long.MIN_VALUE / 2);
    final long intervalNanos;
    final long burstNanos;

    Budget(long intervalNanos, long burstNanos) {
      this.intervalNanos = intervalNanos;
      this.burstNanos = burstNanos;
    }
  }
}
