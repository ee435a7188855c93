package io.mintaro.internal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/** The validated configuration of one SDK instance, and parsers for its textual form. */
public final class Settings {
  public final String service;
  /** The service's version as the registration carries it, at most 64 characters; null when not given. */
  public final String serviceVersion;
  public final URI collector;
  public final String apiKey;
  public final int bufferSize;
  public final int maxBodySize;
  public final List<String> redactHeaders;
  public final List<String> redactFields;
  public final boolean triggerOnServerError;
  public final boolean triggerOnException;
  public final boolean triggerOnErrorLog;
  /** The fixed default slow threshold; unused when {@link #slowAuto}. */
  public final long slowThresholdMicros;
  /** Each route learns its own default threshold ({@code MINTARO_SLOW_THRESHOLD=auto}). */
  public final boolean slowAuto;
  /** The percentile learnt thresholds follow, at least 50 and below 100. */
  public final double slowPercentile;
  /** The lowest threshold learnt, in microseconds. */
  public final long slowFloorMicros;
  /** Pairs of route spec and threshold in microseconds. */
  public final List<String[]> slowRoutes;
  public final double triggerRate;
  public final int triggerBurst;
  /** Traces collected per local group (kind, endpoint, problem) per minute; the rest are counted. */
  public final int triggerGroupLimit;
  public final long reconnectMaxDelayMillis;
  /** Bytes per second the agent uploads at most, after compression; 0 for no limit. */
  public final long uploadRate;
  /** The trace header formats sent on outgoing calls: {@code PROPAGATE_} bits. */
  public final int propagation;
  /**
   * How triggered traces are printed to standard output: {@link #PRINT_OFF}, {@link #PRINT_TREE},
   * {@link #PRINT_JSON} or {@link #PRINT_AUTO} (a tree on a terminal, JSON lines otherwise).
   */
  public final String print;
  /** The TLS settings of an https collector; null for the JDK's defaults (its trust store, no client certificate). */
  public final SSLContext sslContext;

  public static final String PRINT_OFF = "off";
  public static final String PRINT_TREE = "tree";
  public static final String PRINT_JSON = "json";
  public static final String PRINT_AUTO = "auto";

  /** {@code traceparent} and {@code tracestate}. */
  public static final int PROPAGATE_W3C = 1;
  /** The single {@code b3} header. */
  public static final int PROPAGATE_B3 = 2;
  /** The {@code X-B3-*} headers. */
  public static final int PROPAGATE_B3_MULTI = 4;
  /** {@code X-Mintaro-Trace}. */
  public static final int PROPAGATE_MINTARO = 8;
  /** Learnt slow thresholds follow the 99th percentile of each route unless told otherwise. */
  public static final double DEFAULT_SLOW_PERCENTILE = 99;
  /** Learnt slow thresholds are never below 10 ms unless told otherwise. */
  public static final long DEFAULT_SLOW_FLOOR_MICROS = 10_000;

  /** Today's behaviour: {@code w3c,mintaro}. */
  public static final int DEFAULT_PROPAGATION = PROPAGATE_W3C | PROPAGATE_MINTARO;

  public Settings(String service, String serviceVersion, URI collector, String apiKey, int bufferSize, int maxBodySize,
      List<String> redactHeaders, List<String> redactFields, boolean triggerOnServerError,
      boolean triggerOnException, boolean triggerOnErrorLog, long slowThresholdMicros, boolean slowAuto,
      double slowPercentile, long slowFloorMicros, List<String[]> slowRoutes, double triggerRate,
      int triggerBurst, int triggerGroupLimit, long reconnectMaxDelayMillis, long uploadRate, int propagation,
      String print, SSLContext sslContext) {
    this.service = service;
    this.serviceVersion = serviceVersion;
    this.collector = collector;
    this.apiKey = apiKey;
    this.bufferSize = bufferSize;
    this.maxBodySize = maxBodySize;
    this.redactHeaders = redactHeaders;
    this.redactFields = redactFields;
    this.triggerOnServerError = triggerOnServerError;
    this.triggerOnException = triggerOnException;
    this.triggerOnErrorLog = triggerOnErrorLog;
    this.slowThresholdMicros = slowThresholdMicros;
    this.slowAuto = slowAuto;
    this.slowPercentile = slowPercentile;
    this.slowFloorMicros = slowFloorMicros;
    this.slowRoutes = slowRoutes;
    this.triggerRate = triggerRate;
    this.triggerBurst = triggerBurst;
    this.triggerGroupLimit = triggerGroupLimit;
    this.reconnectMaxDelayMillis = reconnectMaxDelayMillis;
    this.uploadRate = uploadRate;
    this.propagation = propagation;
    this.print = print;
    this.sslContext = sslContext;
  }

  /** Parses {@code MINTARO_PRINT}: {@code auto}, {@code tree}, {@code json} or {@code off}, any case. */
  public static String parsePrint(String name, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (List.of(PRINT_AUTO, PRINT_TREE, PRINT_JSON, PRINT_OFF).contains(v)) {
      return v;
    }
    throw new IllegalArgumentException(name + " must be auto, tree, json or off, got: " + value);
  }

  /**
   * Parses trace header formats ({@code w3c}, {@code b3}, {@code b3multi}, {@code mintaro}; any
   * case, each argument may itself be a comma-separated list) into {@code PROPAGATE_} bits.
   *
   * @param name what to call the setting in an error message
   */
  public static int parsePropagation(String name, String... formats) {
    int bits = 0;
    for (String arg : formats == null ? new String[0] : formats) {
      if (arg == null) {
        throw new IllegalArgumentException(name + ": a format must not be null");
      }
      for (String format : list(arg)) {
        switch (format.toLowerCase(Locale.ROOT)) {
          case "w3c" -> bits |= PROPAGATE_W3C;
          case "b3" -> bits |= PROPAGATE_B3;
          case "b3multi" -> bits |= PROPAGATE_B3_MULTI;
          case "mintaro" -> bits |= PROPAGATE_MINTARO;
          default -> throw new IllegalArgumentException(name + ": unknown format '" + format
              + "' (expected w3c, b3, b3multi or mintaro, for example w3c,b3,mintaro)");
        }
      }
    }
    if (bits == 0) {
      throw new IllegalArgumentException(name + ": name at least one format of w3c, b3, b3multi and mintaro"
          + " (the default is w3c,mintaro)");
    }
    return bits;
  }

  public static String[] list(String value) {
    return java.util.Arrays.stream(value.split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
  }

  /** Parses {@code 65536}, {@code 64k}, {@code 32m} or {@code 1g} (binary units). */
  public static int parseSize(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("kib") || v.endsWith("k")) {
      unit = 1024;
    } else if (v.endsWith("mib") || v.endsWith("m")) {
      unit = 1024 * 1024;
    } else if (v.endsWith("gib") || v.endsWith("g")) {
      unit = 1024 * 1024 * 1024;
    }
    String digits = v.replaceAll("(kib|k|mib|m|gib|g)$", "");
    try {
      long n = Long.parseLong(digits) * unit;
      if (n > Integer.MAX_VALUE || n < 0) {
        throw new IllegalArgumentException(name + " is out of range: " + value);
      }
      return (int) n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a size like 65536, 64k or 32m, got: " + value);
    }
  }

  /**
   * Parses a byte rate: a size as {@link #parseSize} reads it, optionally followed by {@code /s}
   * ({@code 1m}, {@code 512KiB/s}, {@code 0} for no limit).
   */
  public static long parseRate(String name, String value) {
    String v = value.trim();
    if (v.toLowerCase(Locale.ROOT).endsWith("/s")) {
      v = v.substring(0, v.length() - 2);
    }
    return parseSize(name, v);
  }

  /** Parses {@code 1500} (milliseconds), {@code 1500ms}, {@code 2s} or {@code 1m}. */
  public static Duration parseDuration(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1).trim()) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()) * 60);
      }
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a duration like 1500ms or 2s, got: " + value);
    }
  }

  /**
   * Parses a percentile, {@code 99}, {@code 99.9} or {@code p99}, at least 50 and below 100.
   *
   * @param name what to call the setting in an error message
   */
  public static double parsePercentile(String name, String value) {
    String v = value == null ? "" : value.trim();
    if (v.startsWith("p") || v.startsWith("P")) {
      v = v.substring(1);
    }
    double p;
    try {
      p = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a percentile like 99 or 99.9, got: " + value);
    }
    return requirePercentile(name, p);
  }

  /** @throws IllegalArgumentException unless {@code 50 <= p < 100} */
  public static double requirePercentile(String name, double p) {
    if (!(p >= 50 && p < 100)) {
      throw new IllegalArgumentException(name + " must be at least 50 and below 100 (99: the slowest 1% of"
          + " each route's requests trigger), got: " + p);
    }
    return p;
  }

  public static double parseDouble(String name, String value) {
    try {
      return Double.parseDouble(value.trim().replace("/s", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, got: " + value);
    }
  }

  /** Reads {@code mintaro.x.y} system properties, then {@code MINTARO_X_Y} environment variables. */
  public static final class Environment {
    private final Function<String, String> properties;
    private final Function<String, String> variables;

    public Environment(Function<String, String> properties, Function<String, String> variables) {
      this.properties = properties;
      this.variables = variables;
    }

    public static Environment system() {
      return new Environment(System::getProperty, System::getenv);
    }

    /** @param key the part after {@code MINTARO_}, for example {@code API_KEY} */
    public Optional<String> get(String key) {
      String property = properties.apply("mintaro." + key.toLowerCase(Locale.ROOT).replace('_', '.'));
      if (property != null && !property.isBlank()) {
        return Optional.of(property);
      }
      String variable = variables.apply("MINTARO_" + key);
      return variable == null || variable.isBlank() ? Optional.empty() : Optional.of(variable);
    }
  }
}
