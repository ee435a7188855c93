package io.mintaro.internal.trigger;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Slow thresholds learnt per route ({@code MINTARO_SLOW_THRESHOLD=auto}): a request is slow when
 * it took longer than a chosen percentile of its route's recent durations, and never below a
 * floor. Each route keeps a {@link LatencySketch}; the first {@link #MAX_ROUTES} routes seen get
 * their own, later ones share one.
 *
 * <p>A route is a method and a path in which every segment that contains a digit stands for any
 * value ({@code /orders/123} and {@code /orders/9f2c} are one route; {@code v1} and {@code v12}
 * are kept, as versions), hashed in one pass over the path without building a string.
 *
 * <p>Per request: the hash, a lookup in an open-addressing table, a volatile read of the route's
 * threshold, one atomic increment of its sample count and one plain increment of a bucket. Every
 * {@value #REFRESH_EVERY}th sample of a route recomputes its threshold (two walks over the
 * buckets), and every {@value #HALVE_EVERY}th halves its counts, on whichever thread drew that
 * sample. Nothing is allocated but a route's state, once, when the route is first seen.
 */
public final class AutoThresholds {
  /** Routes with a sketch of their own; the others share one. */
  public static final int MAX_ROUTES = 256;
  /** Samples a route needs before it can be slow. */
  public static final int WARM_UP = 100;
  static final int REFRESH_EVERY = 32;
  /** Counts are halved this often, so a sketch weighs about the latest 2 × this many samples. */
  static final int HALVE_EVERY = 1024;
  /** Path characters that make a route's key; a longer path is told apart by its start only. */
  private static final int MAX_KEY_CHARS = 256;

  private static final VarHandle SAMPLES;

  static {
    try {
      SAMPLES = MethodHandles.lookup().findVarHandle(Route.class, "samples", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final double quantile;
  private final long floorMicros;
  private final int maxRoutes;
  private final int warmUp;
  private final int halveEvery;
  private final AtomicReferenceArray<Route> table;
  private final int tableMask;
  private final AtomicInteger routes = new AtomicInteger();
  private final Route shared = new Route(0);

  /**
   * @param percentile at least 50 and below 100
   * @param floorMicros the lowest threshold this ever learns
   */
  public AutoThresholds(double percentile, long floorMicros) {
    this(percentile, floorMicros, MAX_ROUTES, WARM_UP, HALVE_EVERY);
  }

  AutoThresholds(double percentile, long floorMicros, int maxRoutes, int warmUp, int halveEvery) {
    if (!(percentile >= 50 && percentile < 100)) {
      throw new IllegalArgumentException("slow percentile must be at least 50 and below 100, got: " + percentile);
    }
    if (halveEvery % REFRESH_EVERY != 0) {
      throw new IllegalArgumentException("halveEvery must be a multiple of " + REFRESH_EVERY);
    }
    this.quantile = percentile / 100;
    this.floorMicros = floorMicros;
    this.maxRoutes = maxRoutes;
    this.warmUp = warmUp;
    this.halveEvery = halveEvery;
    int slots = Integer.highestOneBit(Math.max(maxRoutes, 1) * 2) * 2; // at most a quarter full
    this.table = new AtomicReferenceArray<>(slots);
    this.tableMask = slots - 1;
  }

  /**
   * Counts one request's duration in its route's sketch and returns the threshold it was judged
   * against, in microseconds: the route's learnt threshold before this request, or 0 while the
   * route is warming up (nothing is slow then).
   */
  public long observe(String method, String path, long durationMicros) {
    Route route = route(method, path, true);
    long threshold = route.threshold;
    long n = (long) SAMPLES.getAndAdd(route, 1L) + 1;
    route.sketch.add(durationMicros);
    if (n % REFRESH_EVERY == 0 || n == warmUp) {
      if (n % halveEvery == 0) {
        route.sketch.halve();
      }
      if (n >= warmUp) {
        route.threshold = Math.max(floorMicros, route.sketch.quantile(quantile));
      }
    }
    return threshold;
  }

  /** The threshold a request of this route would be judged against now; 0 while it warms up. */
  public long current(String method, String path) {
    Route route = route(method, path, false);
    return route == shared && routes.get() < maxRoutes ? 0 : route.threshold;
  }

  /** The percentile followed, for messages: {@code 99} or {@code 99.9}. */
  public String percentile() {
    double p = quantile * 100;
    return p == Math.rint(p) ? Long.toString(Math.round(p)) : Double.toString(p);
  }

  /** The route's state, creating it when there is room and {@code create} says so. */
  private Route route(String method, String path, boolean create) {
    long hash = hash(method, path);
    for (int probe = 0, i = (int) hash & tableMask; probe <= tableMask; probe++, i = (i + 1) & tableMask) {
      Route r = table.get(i);
      if (r == null) {
        if (!create || !reserve()) {
          return shared; // for a lookup alone, "not there"
        }
        Route fresh = new Route(hash);
        if (table.compareAndSet(i, null, fresh)) {
          return fresh;
        }
        routes.decrementAndGet(); // another thread took the slot first
        r = table.get(i);
      }
      if (r.hash == hash) {
        return r;
      }
    }
    return shared;
  }

  private boolean reserve() {
    for (;;) {
      int n = routes.get();
      if (n >= maxRoutes) {
        return false;
      }
      if (routes.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * FNV-1a over the method and the path's segments, a segment containing a digit counting as one
   * placeholder. Two routes whose hashes collide (about one chance in 2^50 among 256 routes)
   * share a sketch, which is harmless.
   */
  static long hash(String method, String path) {
    long h = 0xcbf29ce484222325L;
    if (method != null) {
      for (int i = 0, n = Math.min(method.length(), 16); i < n; i++) {
        h = (h ^ method.charAt(i)) * 0x100000001b3L;
      }
    }
    h = (h ^ ' ') * 0x100000001b3L;
    if (path == null) {
      return h;
    }
    int end = Math.min(path.length(), MAX_KEY_CHARS);
    int start = 0;
    while (start <= end) {
      int slash = path.indexOf('/', start);
      int stop = slash < 0 || slash > end ? end : slash;
      if (isValue(path, start, stop)) {
        h = (h ^ 0x7f) * 0x100000001b3L; // a character no path segment hashes to alone
      } else {
        for (int i = start; i < stop; i++) {
          h = (h ^ path.charAt(i)) * 0x100000001b3L;
        }
      }
      if (stop == end) {
        break;
      }
      h = (h ^ '/') * 0x100000001b3L;
      start = stop + 1;
    }
    return h;
  }

  /** A segment with a digit is a value (an id, a date, a hash), unless it is a version: v1, v12. */
  private static boolean isValue(String path, int start, int stop) {
    boolean digit = false;
    for (int i = start; i < stop && !digit; i++) {
      char c = path.charAt(i);
      digit = c >= '0' && c <= '9';
    }
    if (!digit) {
      return false;
    }
    int length = stop - start;
    if (length >= 2 && length <= 3 && (path.charAt(start) | 0x20) == 'v') {
      for (int i = start + 1; i < stop; i++) {
        char c = path.charAt(i);
        if (c < '0' || c > '9') {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private static final class Route {
    final long hash;
    final LatencySketch sketch = new LatencySketch();
    /** Samples ever counted; through {@code SAMPLES}, one atomic increment per request. */
    @SuppressWarnings("unused")
    volatile long samples;
    /** The learnt threshold in microseconds; 0 while warming up. */
    volatile long threshold;

    Route(long hash) {
      this.hash = hash;
    }
  }
}
