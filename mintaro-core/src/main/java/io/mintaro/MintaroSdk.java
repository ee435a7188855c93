package io.mintaro;

import io.mintaro.internal.Core;
import io.mintaro.internal.Settings;
import io.mintaro.internal.agent.CollectorTls;
import io.mintaro.internal.redaction.Redactor;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * One configured Mintaro: a flight recorder, the triggers, and the agent that links this process
 * to the collector. Most applications use the global one through {@link Mintaro}; build your own
 * when a process hosts several services, or in tests.
 *
 * <p>Builders validate at configuration time and throw {@link IllegalArgumentException} there;
 * once built, nothing the SDK does throws into the application.
 */
public final class MintaroSdk implements AutoCloseable {
  static {
    Core.setAccess(sdk -> sdk.core);
  }

  /**
   * The default memory budget of the flight recorder: 64 MiB, or 1/8 of the maximum heap when
   * that is less (rounded down to a power of two, at least 1 MiB). 64 MiB holds 4 s of a service
   * recording 3.3 KB per request at 5,000 requests/s, twice the default slow threshold
   * (BENCHMARKS.md, "Retention at load").
   */
  public static final int DEFAULT_BUFFER_SIZE = 64 * 1024 * 1024;
  /**
   * The default upload budget: 1 MiB per second after compression, so that an error storm costs
   * the link a known amount (BENCHMARKS.md, "Error storm").
   */
  public static final long DEFAULT_UPLOAD_RATE = 1024 * 1024;
  /** The default limit of each captured HTTP body: 64 KiB. */
  public static final int DEFAULT_MAX_BODY_SIZE = 64 * 1024;

  final Core core;

  private MintaroSdk(Builder b) {
    this.core = new Core(b.settings());
  }

  /** The default buffer size for a heap of at most {@code maxHeapBytes}. */
  static int defaultBufferSize(long maxHeapBytes) {
    long eighth = Long.highestOneBit(Math.max(1, maxHeapBytes / 8));
    return (int) Math.max(1 << 20, Math.min(DEFAULT_BUFFER_SIZE, eighth));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds from environment variables and system properties; see the README for the names. */
  public static MintaroSdk fromEnvironment() {
    return builder().fromEnvironment().build();
  }

  public String service() {
    return core.settings().service;
  }

  /** The id by which this process is known to the collector and to its peers. */
  public String agentId() {
    return core.agentId();
  }

  /**
   * True when values of a field of this name (a JSON, form or query field, or a database column)
   * are redacted: it contains one of the configured words. For integrations that record values
   * of their own.
   */
  public boolean redactsField(String name) {
    return core.redactor().isSensitiveField(name);
  }

  /** Counters describing what the SDK did; cheap to call. */
  public MintaroStats stats() {
    return core.stats();
  }

  /** Stops the agent at once; recording continues locally. Never throws. */
  @Override
  public void close() {
    core.close();
  }

  /**
   * Stops the agent after it has sent the triggers still queued and the traces they name,
   * waiting at most {@code flushTimeout}: for an application's orderly shutdown. Never throws.
   */
  public void close(Duration flushTimeout) {
    core.close(flushTimeout == null || flushTimeout.isNegative() ? 0 : flushTimeout.toMillis());
  }

  /** Configures a {@link MintaroSdk}. */
  public static final class Builder {
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** The longest service version sent (docs/protocol.md, register). */
    private static final int MAX_VERSION_LENGTH = 64;

    private String service = "unknown-service";
    // No default from a jar manifest's Implementation-Version: the JVM does not say reliably which
    // class's main() started it (sun.java.command is no standard, and names a launcher for Spring
    // Boot jars, IDEs and many containers), and a wrong version is worse than none. A framework
    // that knows the version passes it (the Spring Boot starter: spring.application.version).
    private String serviceVersion;
    private URI collector;
    /** {@code MINTARO_PRINT} when given; null: the default of {@link #printMode()}. */
    private String print;
    private boolean environmentRead;
    private String apiKey;
    /** The key carried in the collector URL's user part, if any. */
    private String collectorKey;
    private int bufferSize = defaultBufferSize(Runtime.getRuntime().maxMemory());
    private int maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private final Set<String> redactHeaders = new LinkedHashSet<>(Redactor.DEFAULT_HEADERS);
    private final Set<String> redactFields = new LinkedHashSet<>(Redactor.DEFAULT_FIELDS);
    private boolean triggerOnServerError = true;
    private boolean triggerOnException = true;
    private boolean triggerOnErrorLog = true;
    private Duration slowThreshold = Duration.ofSeconds(2);
    private boolean slowAuto;
    private double slowPercentile = Settings.DEFAULT_SLOW_PERCENTILE;
    private Duration slowFloor = Duration.ofNanos(Settings.DEFAULT_SLOW_FLOOR_MICROS * 1000);
    private final List<String[]> slowRoutes = new ArrayList<>();
    private double triggerRate = 10;
    private long uploadRate = DEFAULT_UPLOAD_RATE;
    private int triggerBurst = 100;
    private int triggerGroupLimit = 60;
    private Duration reconnectMaxDelay = Duration.ofSeconds(30);
    private int propagation = Settings.DEFAULT_PROPAGATION;
    /** {@code MINTARO_TLS_CA} as read: the CAs trusted instead of the JDK's; null for the JDK's. */
    private KeyStore tlsTrusted;
    /** {@code MINTARO_TLS_CERT} and {@code MINTARO_TLS_KEY} as read: the client certificate; null for none. */
    private KeyStore tlsIdentity;

    private Builder() {}

    /** Service name, as shown in the collector: 1–100 of {@code [A-Za-z0-9._-]}. */
    public Builder service(String service) {
      if (service == null || !SERVICE.matcher(service).matches()) {
        throw new IllegalArgumentException("service must be 1-100 of [A-Za-z0-9._-], got: " + service);
      }
      this.service = service;
      return this;
    }

    /**
     * The version of the service that runs in this process ({@code MINTARO_VERSION}), for
     * example {@code 2.4.1} or a commit id: the collector shows which versions of each service
     * are running. Surrounding spaces are dropped and a longer value is cut to its first 64
     * characters; null or blank means none, the default (the SDK does not guess it from a jar's
     * manifest: which jar is the application's is not something the JVM says).
     *
     * @throws IllegalArgumentException when it contains control characters
     */
    public Builder serviceVersion(String version) {
      if (version == null || version.isBlank()) {
        this.serviceVersion = null;
        return this;
      }
      String v = version.strip();
      if (v.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("serviceVersion must not contain control characters");
      }
      if (v.length() > MAX_VERSION_LENGTH) {
        boolean splitsPair = Character.isHighSurrogate(v.charAt(MAX_VERSION_LENGTH - 1));
        v = v.substring(0, splitsPair ? MAX_VERSION_LENGTH - 1 : MAX_VERSION_LENGTH); // never half a character
      }
      this.serviceVersion = v;
      return this;
    }

    /**
     * The collector's base URL, for example {@code http://collector:7070}; null records locally
     * only. The URL may carry the API key as its user part, as a Sentry DSN does
     * ({@code http://KEY@collector:7070}), so that one setting is enough; a key given to
     * {@link #apiKey} wins.
     */
    public Builder collector(String url) {
      if (url == null || url.isBlank()) {
        this.collector = null;
        this.collectorKey = null;
        return this;
      }
      URI uri;
      try {
        uri = URI.create(url.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("collector is not a URL: " + withoutKey(url));
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("collector must be an http(s) URL with a host, got: " + withoutKey(url));
      }
      String key = uri.getRawUserInfo();
      if (key != null) {
        requireKey(key);
        uri = URI.create(withoutKey(url.trim()));
      }
      this.collector = uri;
      this.collectorKey = key;
      return this;
    }

    /** The URL with its user part, an API key, masked: for messages. */
    private static String withoutKey(String url) {
      int scheme = url.indexOf("://");
      int at = url.indexOf('@', scheme + 3);
      int slash = url.indexOf('/', scheme + 3);
      if (scheme < 0 || at < 0 || (slash >= 0 && at > slash)) {
        return url;
      }
      return url.substring(0, scheme + 3) + url.substring(at + 1);
    }

    public Builder apiKey(String apiKey) {
      if (apiKey != null) {
        requireKey(apiKey);
      }
      this.apiKey = apiKey;
      return this;
    }

    private static void requireKey(String key) {
      if (key.isBlank() || key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException("apiKey must be printable ASCII without spaces");
      }
    }

    /**
     * Trusts the CAs in this PEM file, instead of the JDK's default trust store, for an
     * {@code https://} collector ({@code MINTARO_TLS_CA}): for a collector whose certificate a
     * private CA signed. The certificate and the host name are always verified; there is no
     * setting that turns that off. Null: the JDK's trust store.
     *
     * @throws IllegalArgumentException when the file is missing or holds no certificate
     */
    public Builder tlsCa(Path caCertificates) {
      this.tlsTrusted = caCertificates == null ? null : CollectorTls.trustStore("MINTARO_TLS_CA", caCertificates);
      return this;
    }

    /**
     * Presents this certificate to an {@code https://} collector that requires client
     * certificates (mTLS; {@code MINTARO_TLS_CERT}, {@code MINTARO_TLS_KEY}): a PEM certificate
     * (further certificates in the file are its chain) and its PEM private key, unencrypted PKCS#8
     * ({@code BEGIN PRIVATE KEY}). Both null: none.
     *
     * @throws IllegalArgumentException when a file is missing or unreadable, only one is given, or
     *     the key does not belong to the certificate
     */
    public Builder tlsClientCertificate(Path certificate, Path privateKey) {
      if ((certificate == null) != (privateKey == null)) {
        throw new IllegalArgumentException("MINTARO_TLS_CERT and MINTARO_TLS_KEY go together: give both or neither");
      }
      this.tlsIdentity = certificate == null ? null
          : CollectorTls.identity("MINTARO_TLS_CERT", certificate, "MINTARO_TLS_KEY", privateKey);
      return this;
    }

    /**
     * Memory budget of the flight recorder in bytes, 64 KiB to 1 GiB; rounded down to a power of
     * two. Default: {@link #DEFAULT_BUFFER_SIZE}, or 1/8 of the maximum heap when that is less.
     */
    public Builder bufferSize(int bytes) {
      if (bytes < 64 * 1024 || bytes > (1 << 30)) {
        throw new IllegalArgumentException("bufferSize must be between 64 KiB and 1 GiB, got: " + bytes);
      }
      this.bufferSize = bytes;
      return this;
    }

    /** The most of each HTTP body that is kept, 0 to 1 MiB. */
    public Builder maxBodySize(int bytes) {
      if (bytes < 0 || bytes > 1024 * 1024) {
        throw new IllegalArgumentException("maxBodySize must be between 0 and 1 MiB, got: " + bytes);
      }
      this.maxBodySize = bytes;
      return this;
    }

    /**
     * Adds headers whose values are never recorded. Authorization, Cookie, Set-Cookie,
     * Proxy-Authorization, X-Api-Key and X-Auth-Token never are, nor any header whose name holds
     * a field word ({@link #redactFields}).
     */
    public Builder redactHeaders(String... names) {
      for (String n : names) {
        redactHeaders.add(requireToken(n, "header name").toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /**
     * Adds words that mark a JSON, form or query field, or a header, as secret. These always do:
     * password, passwd, secret, token, api_key, apikey, api-key, auth, credential, private_key and
     * session.
     */
    public Builder redactFields(String... names) {
      for (String n : names) {
        redactFields.add(requireToken(n, "field name").toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /** Trigger when a server responds with 500 or more. Default on. */
    public Builder triggerOnServerError(boolean on) {
      this.triggerOnServerError = on;
      return this;
    }

    /** Trigger when an exception escapes a request handler. Default on. */
    public Builder triggerOnException(boolean on) {
      this.triggerOnException = on;
      return this;
    }

    /** Trigger on an ERROR log line inside a trace. Default on. */
    public Builder triggerOnErrorLog(boolean on) {
      this.triggerOnErrorLog = on;
      return this;
    }

    /** Requests slower than this trigger; zero disables. Default 2 s. Replaces {@link #slowThresholdAuto()}. */
    public Builder slowThreshold(Duration threshold) {
      this.slowThreshold = requireNonNegative(threshold);
      this.slowAuto = false;
      return this;
    }

    /**
     * Each route learns its own slow threshold ({@code MINTARO_SLOW_THRESHOLD=auto}): a request
     * triggers when it is slower than the {@link #slowPercentile percentile} (default 99th) of
     * its route's recent requests, once the route has seen 100 requests, and never when it took
     * less than {@link #slowFloor} (default 10 ms). A route is the method and the path, every
     * segment with a digit in it standing for any value ({@code GET /orders/{}}); the first 256
     * routes seen learn their own threshold, the others one together. Routes given a threshold
     * of their own ({@link #slowThreshold(String, Duration)}) keep it. Replaces
     * {@link #slowThreshold(Duration)}.
     */
    public Builder slowThresholdAuto() {
      this.slowAuto = true;
      return this;
    }

    /**
     * The percentile that learnt slow thresholds follow ({@code MINTARO_SLOW_PERCENTILE}): at
     * least 50 and below 100, default 99, so that about 1 in 100 requests of each route triggers
     * (within the trigger rate limit). Used with {@link #slowThresholdAuto()} only.
     */
    public Builder slowPercentile(double percentile) {
      this.slowPercentile = Settings.requirePercentile("slowPercentile", percentile);
      return this;
    }

    /**
     * The lowest threshold learnt ({@code MINTARO_SLOW_FLOOR}), so that a fast route does not
     * trigger on jitter: at least 1 ms, default 10 ms. Used with {@link #slowThresholdAuto()} only.
     */
    public Builder slowFloor(Duration floor) {
      if (requireNonNegative(floor).toNanos() < 1_000_000) {
        throw new IllegalArgumentException("slowFloor must be at least 1 ms, got: " + floor);
      }
      this.slowFloor = floor;
      return this;
    }

    /**
     * Overrides the slow threshold for a route: {@code "/reports"} or {@code "GET /reports"},
     * matched as a path prefix; the longest match wins. Zero disables the slow trigger there.
     */
    public Builder slowThreshold(String route, Duration threshold) {
      requireNonNegative(threshold);
      io.mintaro.internal.trigger.SlowPolicy.Route.parse(route, threshold.toNanos() / 1000);
      slowRoutes.add(new String[] {route, Long.toString(threshold.toNanos() / 1000)});
      return this;
    }

    /**
     * At most {@code perMinute} traces of one local group (trigger kind, endpoint and problem,
     * such as {@code error}, {@code GET /orders}, {@code HTTP 500}) are collected per minute, all
     * of them at once if need be; the group's further triggers are only counted, so that a flood
     * of one error never uses up the collections that a new or rare one needs. Default 60.
     */
    public Builder triggerGroupLimit(int perMinute) {
      if (perMinute < 1) {
        throw new IllegalArgumentException("trigger group limit must be >= 1 per minute, got: " + perMinute);
      }
      this.triggerGroupLimit = perMinute;
      return this;
    }

    /**
     * At most {@code perSecond} traces are collected from this process per second, after a burst
     * of {@code burst}; triggers past that are only counted. Defaults 10 and 100.
     */
    public Builder triggerRateLimit(double perSecond, int burst) {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException("trigger rate must be > 0 and burst >= 1");
      }
      this.triggerRate = perSecond;
      this.triggerBurst = burst;
      return this;
    }

    /**
     * The most bytes per second this process uploads to the collector, counted after
     * compression, whatever happens: in an error storm, batches wait for the budget, their
     * triggers queue and, past the queue, are only counted. One batch may exceed a second's budget
     * and is then followed by a matching pause. Default {@link #DEFAULT_UPLOAD_RATE} (1 MiB/s);
     * 0 for no limit; otherwise at least 4 KiB/s.
     */
    public Builder uploadRate(long bytesPerSecond) {
      if (bytesPerSecond != 0 && bytesPerSecond < 4096) {
        throw new IllegalArgumentException("upload rate must be 0 (no limit) or at least 4096 bytes per second, got: "
            + bytesPerSecond);
      }
      this.uploadRate = bytesPerSecond;
      return this;
    }

    /** The longest wait between attempts to reach a collector that is down. Default 30 s. */
    public Builder reconnectMaxDelay(Duration delay) {
      if (requireNonNegative(delay).toMillis() < 100) {
        throw new IllegalArgumentException("reconnectMaxDelay must be at least 100 ms");
      }
      this.reconnectMaxDelay = delay;
      return this;
    }

    /**
     * The trace headers sent on outgoing calls: {@code w3c} ({@code traceparent} and
     * {@code tracestate}), {@code b3} (the single {@code b3} header), {@code b3multi}
     * ({@code X-B3-*}) and {@code mintaro} ({@code X-Mintaro-Trace}); for example
     * {@code propagation("w3c", "b3", "mintaro")} for a service inside a Zipkin fleet. Default
     * {@code w3c,mintaro}. Incoming requests are read in every format whatever this says, and
     * the {@code X-Mintaro-Caller} breadcrumb is always sent.
     *
     * @throws IllegalArgumentException for an unknown format, or none
     */
    public Builder propagation(String... formats) {
      this.propagation = Settings.parsePropagation("propagation", formats);
      return this;
    }

    /**
     * Applies every setting given as an environment variable ({@code MINTARO_SERVICE}) or a
     * system property ({@code mintaro.service}); the property wins. Invalid values throw here.
     */
    public Builder fromEnvironment() {
      Settings.Environment env = Settings.Environment.system();
      env.get("SERVICE").ifPresent(this::service);
      env.get("VERSION").ifPresent(this::serviceVersion);
      env.get("COLLECTOR").ifPresent(this::collector);
      environmentRead = true;
      env.get("PRINT").ifPresent(v -> print = Settings.parsePrint("MINTARO_PRINT", v));
      env.get("API_KEY").ifPresent(this::apiKey);
      env.get("TLS_CA").ifPresent(v -> tlsCa(Path.of(v.trim())));
      Optional<String> certificate = env.get("TLS_CERT");
      Optional<String> key = env.get("TLS_KEY");
      if (certificate.isPresent() || key.isPresent()) {
        tlsClientCertificate(certificate.map(v -> Path.of(v.trim())).orElse(null),
            key.map(v -> Path.of(v.trim())).orElse(null));
      }
      env.get("BUFFER_SIZE").ifPresent(v -> bufferSize(Settings.parseSize("MINTARO_BUFFER_SIZE", v)));
      env.get("MAX_BODY_SIZE").ifPresent(v -> maxBodySize(Settings.parseSize("MINTARO_MAX_BODY_SIZE", v)));
      env.get("REDACT_HEADERS").ifPresent(v -> redactHeaders(Settings.list(v)));
      env.get("REDACT_FIELDS").ifPresent(v -> redactFields(Settings.list(v)));
      env.get("TRIGGER_ON").ifPresent(v -> {
        Set<String> on = new LinkedHashSet<>(Arrays.asList(Settings.list(v.toLowerCase(Locale.ROOT))));
        for (String t : on) {
          if (!Set.of("server-error", "exception", "error-log", "none").contains(t)) {
            throw new IllegalArgumentException("MINTARO_TRIGGER_ON: unknown trigger '" + t
                + "' (expected server-error, exception, error-log or none)");
          }
        }
        triggerOnServerError(on.contains("server-error"));
        triggerOnException(on.contains("exception"));
        triggerOnErrorLog(on.contains("error-log"));
      });
      env.get("SLOW_THRESHOLD").ifPresent(v -> {
        if (v.trim().equalsIgnoreCase("auto")) {
          slowThresholdAuto();
        } else {
          Duration threshold;
          try {
            threshold = Settings.parseDuration("MINTARO_SLOW_THRESHOLD", v);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MINTARO_SLOW_THRESHOLD must be auto or a duration like 1500ms or 2s,"
                + " got: " + v);
          }
          slowThreshold(threshold);
        }
      });
      env.get("SLOW_PERCENTILE").ifPresent(v -> slowPercentile(Settings.parsePercentile("MINTARO_SLOW_PERCENTILE", v)));
      env.get("SLOW_FLOOR").ifPresent(v -> slowFloor(Settings.parseDuration("MINTARO_SLOW_FLOOR", v)));
      env.get("SLOW_ROUTES").ifPresent(v -> {
        for (String entry : v.split(";")) {
          if (entry.isBlank()) {
            continue;
          }
          int eq = entry.lastIndexOf('=');
          if (eq < 0) {
            throw new IllegalArgumentException("MINTARO_SLOW_ROUTES: expected '[METHOD ]/path=duration', got: " + entry);
          }
          slowThreshold(entry.substring(0, eq).trim(),
              Settings.parseDuration("MINTARO_SLOW_ROUTES", entry.substring(eq + 1).trim()));
        }
      });
      env.get("TRIGGER_RATE").ifPresent(v -> triggerRateLimit(Settings.parseDouble("MINTARO_TRIGGER_RATE", v), triggerBurst));
      env.get("UPLOAD_RATE").ifPresent(v -> uploadRate(Settings.parseRate("MINTARO_UPLOAD_RATE", v)));
      env.get("PROPAGATION").ifPresent(v -> propagation = Settings.parsePropagation("MINTARO_PROPAGATION", v));
      env.get("TRIGGER_BURST").ifPresent(v -> triggerRateLimit(triggerRate, (int) Settings.parseDouble("MINTARO_TRIGGER_BURST", v)));
      env.get("TRIGGER_GROUP_LIMIT").ifPresent(v -> triggerGroupLimit(
          (int) Settings.parseDouble("MINTARO_TRIGGER_GROUP_LIMIT", v)));
      return this;
    }

    public MintaroSdk build() {
      if (maxBodySize > Integer.highestOneBit(bufferSize) / 32) {
        throw new IllegalArgumentException("maxBodySize must be at most 1/32 of bufferSize");
      }
      if ((tlsTrusted != null || tlsIdentity != null) && collector != null
          && !collector.getScheme().equalsIgnoreCase("https")) {
        // Certificates configured for a plain-HTTP URL protect nothing; the operator meant https.
        throw new IllegalArgumentException("MINTARO_TLS_CA, MINTARO_TLS_CERT and MINTARO_TLS_KEY need an https://"
            + " collector URL, got: " + collector);
      }
      return new MintaroSdk(this);
    }

    Settings settings() {
      return new Settings(service, serviceVersion, collector, apiKey != null ? apiKey : collectorKey, bufferSize, maxBodySize, List.copyOf(redactHeaders),
          List.copyOf(redactFields), triggerOnServerError, triggerOnException, triggerOnErrorLog,
          slowThreshold.toNanos() / 1000, slowAuto, slowPercentile, slowFloor.toNanos() / 1000,
          List.copyOf(slowRoutes), triggerRate, triggerBurst, triggerGroupLimit,
          reconnectMaxDelay.toMillis(), uploadRate, propagation, printMode(), sslContext());
    }

    /** The TLS settings given, for the agent's HTTP client; null leaves the JDK's defaults. */
    private SSLContext sslContext() {
      return tlsTrusted == null && tlsIdentity == null ? null : CollectorTls.context(tlsTrusted, tlsIdentity);
    }

    /**
     * An SDK configured from the environment without a collector prints its triggered traces
     * unless told otherwise (decision 41); one built in code (tests, frameworks) prints only when
     * {@code MINTARO_PRINT} says so, so that test output stays quiet.
     */
    private String printMode() {
      if (print != null) {
        return print;
      }
      return environmentRead && collector == null ? Settings.PRINT_AUTO : Settings.PRINT_OFF;
    }

    private static Duration requireNonNegative(Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("duration must not be negative: " + d);
      }
      return d;
    }

    private static String requireToken(String s, String what) {
      if (s == null || s.isBlank() || s.chars().anyMatch(c -> c <= 0x20 || c > 0x7e)) {
        throw new IllegalArgumentException(what + " must be a non-blank token, got: " + s);
      }
      return s.trim();
    }
  }
}
