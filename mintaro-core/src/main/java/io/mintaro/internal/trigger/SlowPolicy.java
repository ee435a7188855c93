package io.mintaro.internal.trigger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The duration above which a server request counts as slow: a default, and overrides per route,
 * matched by optional method and longest path prefix.
 */
public final class SlowPolicy {
  private final long defaultMicros;
  private final List<Route> routes;

  public SlowPolicy(long defaultMicros, List<Route> routes) {
    this.defaultMicros = defaultMicros;
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route r) -> r.pathPrefix.length()).reversed()
        .thenComparing(r -> r.method == null));
    this.routes = List.copyOf(sorted);
  }

  /** Threshold in microseconds; 0 or less disables the slow trigger. */
  public long thresholdMicros(String method, String path) {
    for (Route r : routes) {
      if ((r.method == null || r.method.equalsIgnoreCase(method)) && r.matches(path)) {
        return r.micros;
      }
    }
    return defaultMicros;
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
