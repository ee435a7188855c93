package io.mintaro.internal.trigger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The duration above which a server request counts as slow: a default, fixed or learnt per route
 * ({@link AutoThresholds}), and fixed overrides per route, matched by optional method and longest
 * path prefix. An override wins over a learnt threshold, and its route learns nothing.
 */
public final class SlowPolicy {
  private final long defaultMicros;
  /** Longest prefix first; an array, so matching allocates no iterator. */
  private final Route[] routes;
  private final AutoThresholds auto;

  public SlowPolicy(long defaultMicros, List<Route> routes) {
    this(defaultMicros, routes, null);
  }

  /** @param auto learns the default threshold of each route; null for the fixed default */
  public SlowPolicy(long defaultMicros, List<Route> routes, AutoThresholds auto) {
    this.defaultMicros = defaultMicros;
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route r) -> r.pathPrefix.length()).reversed()
        .thenComparing(r -> r.method == null));
    this.routes = sorted.toArray(new Route[0]);
    this.auto = auto;
  }

  /**
   * Threshold in microseconds that a request would be judged against now; 0 or less disables
   * the slow trigger (a learnt threshold is 0 while its route warms up).
   */
  public long thresholdMicros(String method, String path) {
    Route r = override(method, path);
    if (r != null) {
      return r.micros;
    }
    return auto == null ? defaultMicros : auto.current(method, path);
  }

  /**
   * Judges one finished request: returns the threshold in microseconds that its duration is
   * compared with (0 or less: never slow), and counts the duration in its route's sketch when
   * that route's threshold is learnt. Called once for every server request.
   */
  public long observe(String method, String path, long durationMicros) {
    Route r = override(method, path);
    if (r != null) {
      return r.micros;
    }
    return auto == null ? defaultMicros : auto.observe(method, path, durationMicros);
  }

  /** The percentile a route's threshold is learnt at ({@code "99"}), or null when it is fixed. */
  public String learntPercentile(String method, String path) {
    return auto == null || override(method, path) != null ? null : auto.percentile();
  }

  private Route override(String method, String path) {
    for (Route r : routes) {
      if ((r.method == null || r.method.equalsIgnoreCase(method)) && r.matches(path)) {
        return r;
      }
    }
    return null;
  }

  /** A per-route override: {@code method} is null for every method. */
  public static final class Route {
    final String method;
    final String pathPrefix;
    final long micros;

    public Route(String method, String pathPrefix, long micros) {
      if (pathPrefix == null || !pathPrefix.startsWith("/")) {
        throw new IllegalArgumentException("route path must start with '/': " + pathPrefix);
      }
      if (micros < 0) {
        throw new IllegalArgumentException("threshold must not be negative: " + micros);
      }
      this.method = method == null ? null : method.toUpperCase(Locale.ROOT);
      this.pathPrefix = pathPrefix;
      this.micros = micros;
    }

    /** Prefix match on whole path segments: {@code /api} matches {@code /api/x}, not {@code /apiary}. */
    boolean matches(String path) {
      if (path == null || !path.startsWith(pathPrefix)) {
        return false;
      }
      return path.length() == pathPrefix.length() || pathPrefix.endsWith("/")
          || path.charAt(pathPrefix.length()) == '/';
    }

    /** Parses {@code "[METHOD ]/path"}. */
    public static Route parse(String spec, long micros) {
      String s = spec.trim();
      int space = s.indexOf(' ');
      if (space > 0) {
        return new Route(s.substring(0, space), s.substring(space + 1).trim(), micros);
      }
      return new Route(null, s, micros);
    }
  }
}
