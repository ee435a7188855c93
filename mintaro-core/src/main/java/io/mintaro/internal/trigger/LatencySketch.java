package io.mintaro.internal.trigger;

/**
 * A streaming quantile sketch of durations: a histogram with log-spaced buckets, 16 per doubling
 * (each at most 1/16 wider than its lower bound), from 1 ms to 2^28 µs (about 4.5 minutes), and
 * 16 buckets of 64 µs below 1 ms. Larger durations count in the top bucket. 304 counters in all.
 *
 * <p>Adding is an index computation (a leading-zero count and two shifts) and one addition;
 * {@link #halve()} ages what was seen, so the sketch follows recent traffic. A sample weighs
 * {@value #ONE} in fixed point, so that halving a sparse bucket of the tail (the buckets a high
 * percentile lies in) does not round its samples away: with whole counts, a bucket of 1 would
 * drop to 0 at the first halving and every estimate of p99 would come out low. The counters are
 * plain ints, updated without synchronisation by every thread that adds: a racing increment or
 * halving may be lost now and then, which moves a quantile by less than one sample does, and a
 * reader sees counts a moment old. Neither matters to a slow threshold.
 */
final class LatencySketch {
  /** Sub-buckets per doubling, as a power of two. */
  private static final int SUB_BITS = 4;
  private static final int SUB = 1 << SUB_BITS;
  /** Durations are counted in units of 2^6 µs: 64 µs, below the 1 ms floor of auto thresholds. */
  private static final int UNIT_SHIFT = 6;
  /** Durations of 2^28 µs and more share the top bucket. */
  private static final long MAX_UNITS = (1L << (28 - UNIT_SHIFT)) - 1;
  static final int BUCKETS = bucket(MAX_UNITS << UNIT_SHIFT) + 1;

  /** The weight of one new sample; a bucket holds at most about 2 × 1024 × this. */
  static final int ONE = 256;

  private final int[] counts = new int[BUCKETS];

  /** The bucket of a duration: linear below {@code SUB} units, then {@code SUB} per doubling. */
  static int bucket(long micros) {
    long units = Math.min(Math.max(micros, 0) >>> UNIT_SHIFT, MAX_UNITS);
    if (units < SUB) {
      return (int) units;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(units);
    return ((exponent - SUB_BITS + 1) << SUB_BITS) | (int) ((units >>> (exponent - SUB_BITS)) & (SUB - 1));
  }

  /** The smallest duration in a bucket, in microseconds. */
  static long lowerBound(int bucket) {
    if (bucket < SUB) {
      return (long) bucket << UNIT_SHIFT;
    }
    int doubling = bucket >>> SUB_BITS;
    long units = (long) (SUB + (bucket & (SUB - 1))) << (doubling - 1);
    return units << UNIT_SHIFT;
  }

  void add(long micros) {
    counts[bucket(micros)] += ONE;
  }

  /** Halves every count, so that what came before weighs half as much as what comes next. */
  void halve() {
    for (int i = 0; i < counts.length; i++) {
      counts[i] >>>= 1;
    }
  }

  /** The weighted number of samples: each new one counts 1, and half as much after each halving. */
  double weight() {
    return total() / (double) ONE;
  }

  private long total() {
    long n = 0;
    for (int c : counts) {
      n += c;
    }
    return n;
  }

  /**
   * The duration below which a fraction {@code q} of the weighted samples lie, in microseconds,
   * interpolated linearly inside its bucket; 0 when the sketch is empty. Walks the buckets twice:
   * for the one thread that refreshes a threshold now and then, not for every request.
   */
  long quantile(double q) {
    long total = total();
    if (total == 0) {
      return 0;
    }
    double above = (1 - q) * total; // weight that lies above the quantile
    long seen = 0;
    for (int i = BUCKETS - 1; i >= 0; i--) {
      int c = counts[i];
      if (c > 0 && seen + c >= above) {
        long lower = lowerBound(i);
        long upper = i + 1 < BUCKETS ? lowerBound(i + 1) : (MAX_UNITS + 1) << UNIT_SHIFT;
        double fraction = (above - seen) / c; // of this bucket's weight, from its top
        return upper - (long) ((upper - lower) * fraction);
      }
      seen += c;
    }
    return 0;
  }
}
