package io.mintaro.spring.boot;

import io.mintaro.MintaroSdk;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Builds the application's {@link MintaroSdk} from {@code mintaro.*} properties, and closes the
 * SDKs it built when the context closes. Every SDK bean depends on it, so it is destroyed after
 * them and after everything that records into them: pending triggers go out last.
 */
final class SdkFactory implements DisposableBean {
  private static final String UNKNOWN_SERVICE = "unknown-service";

  private final MintaroProperties properties;
  private final Environment environment;
  private final List<MintaroSdk> built = new CopyOnWriteArrayList<>();

  SdkFactory(MintaroProperties properties, Environment environment) {
    this.properties = properties;
    this.environment = environment;
  }

  /** Whether {@code sdk} is one this factory built from properties (as opposed to the application's). */
  boolean built(MintaroSdk sdk) {
    return built.contains(sdk);
  }

  /**
   * The collector URL, which may carry the API key as its user part, like a Sentry DSN:
   * {@code http://KEY@collector:7070}. The key is taken out of the URL, and never shown.
   */
  record Collector(String url, String key, String shown) {
    static Collector parse(String value) {
      if (value == null || value.isBlank()) {
        return new Collector(value, null, value);
      }
      String v = value.trim();
      int scheme = v.indexOf("://");
      int at = scheme < 0 ? -1 : v.indexOf('@', scheme + 3);
      int slash = scheme < 0 ? -1 : v.indexOf('/', scheme + 3);
      if (at < 0 || (slash >= 0 && slash < at)) {
        return new Collector(v, null, v);
      }
      String key = URLDecoder.decode(v.substring(scheme + 3, at), StandardCharsets.UTF_8);
      String url = v.substring(0, scheme + 3) + v.substring(at + 1);
      return new Collector(url, key.isEmpty() ? null : key, v.substring(0, scheme + 3) + "***@" + v.substring(at + 1));
    }
  }

  /** Whether the properties name a collector. */
  boolean collectorConfigured() {
    return properties.getCollector() != null && !properties.getCollector().isBlank();
  }

  /** @throws InvalidConfigurationPropertyValueException naming the property at fault */
  MintaroSdk build() {
    MintaroProperties p = properties;
    MintaroSdk.Builder b = MintaroSdk.builder();
    if (p.getService() != null) {
      set("mintaro.service", p.getService(), () -> b.service(p.getService().trim()));
    } else {
      b.service(serviceName(environment.getProperty("spring.application.name")));
    }
    if (p.getServiceVersion() != null) {
      set("mintaro.service-version", p.getServiceVersion(), () -> b.serviceVersion(p.getServiceVersion()));
    } else {
      applicationVersion(b, environment.getProperty("spring.application.version"));
    }
    Collector collector = Collector.parse(p.getCollector());
    set("mintaro.collector", collector.shown(), () -> b.collector(collector.url()));
    String apiKey = p.getApiKey() != null ? p.getApiKey().trim() : collector.key();
    if (apiKey != null) {
      set(p.getApiKey() != null ? "mintaro.api-key" : "mintaro.collector", "(hidden)", () -> b.apiKey(apiKey));
    }
    tls(b, p.getTls(), collector);
    if (p.getBufferSize() != null) {
      set("mintaro.buffer-size", p.getBufferSize(), () -> b.bufferSize(bytes(p.getBufferSize())));
    }
    set("mintaro.max-body-size", p.getMaxBodySize(), () -> b.maxBodySize(bytes(p.getMaxBodySize())));
    set("mintaro.redact-headers", p.getRedactHeaders(), () -> b.redactHeaders(p.getRedactHeaders().toArray(String[]::new)));
    set("mintaro.redact-fields", p.getRedactFields(), () -> b.redactFields(p.getRedactFields().toArray(String[]::new)));
    if (p.getPropagation() != null) {
      set("mintaro.propagation", p.getPropagation(), () -> b.propagation(p.getPropagation().toArray(String[]::new)));
    }
    Set<MintaroProperties.Trigger> on = p.getTriggerOn() == null ? Set.of() : p.getTriggerOn();
    b.triggerOnServerError(on.contains(MintaroProperties.Trigger.SERVER_ERROR));
    b.triggerOnException(on.contains(MintaroProperties.Trigger.EXCEPTION));
    b.triggerOnErrorLog(on.contains(MintaroProperties.Trigger.ERROR_LOG));
    set("mintaro.slow-threshold", p.getSlowThreshold(), () -> slowThreshold(b, p.getSlowThreshold()));
    if (p.getSlowPercentile() != null) {
      set("mintaro.slow-percentile", p.getSlowPercentile(), () -> b.slowPercentile(p.getSlowPercentile()));
    }
    if (p.getSlowFloor() != null) {
      set("mintaro.slow-floor", p.getSlowFloor(), () -> b.slowFloor(p.getSlowFloor()));
    }
    if (p.getSlowRoutes() != null) {
      set("mintaro.slow-routes", p.getSlowRoutes(), () -> slowRoutes(b, p.getSlowRoutes()));
    }
    boolean badBurst = p.getTriggerBurst() < 1;
    set(badBurst ? "mintaro.trigger-burst" : "mintaro.trigger-rate", badBurst ? p.getTriggerBurst() : p.getTriggerRate(),
        () -> b.triggerRateLimit(p.getTriggerRate(), p.getTriggerBurst()));
    if (p.getTriggerGroupLimit() != null) {
      set("mintaro.trigger-group-limit", p.getTriggerGroupLimit(), () -> b.triggerGroupLimit(p.getTriggerGroupLimit()));
    }
    set("mintaro.reconnect-max-delay", p.getReconnectMaxDelay(), () -> b.reconnectMaxDelay(p.getReconnectMaxDelay()));
    if (p.getShutdownTimeout() == null || p.getShutdownTimeout().isNegative()) {
      throw new InvalidConfigurationPropertyValueException("mintaro.shutdown-timeout", p.getShutdownTimeout(),
          "must not be negative");
    }
    MintaroSdk[] sdk = new MintaroSdk[1];
    set("mintaro.max-body-size", p.getMaxBodySize(), () -> sdk[0] = b.build());
    built.add(sdk[0]);
    return sdk[0];
  }

  private static void tls(MintaroSdk.Builder b, MintaroProperties.Tls tls, Collector collector) {
    boolean certificate = tls.getCert() != null || tls.getKey() != null;
    if (tls.getCa() != null) {
      set("mintaro.tls.ca", tls.getCa(), () -> b.tlsCa(Path.of(tls.getCa().trim())));
    }
    if (certificate) {
      try {
        b.tlsClientCertificate(tls.getCert() == null ? null : Path.of(tls.getCert().trim()),
            tls.getKey() == null ? null : Path.of(tls.getKey().trim()));
      } catch (IllegalArgumentException e) {
        // The message names the file at fault, MINTARO_TLS_CERT or MINTARO_TLS_KEY; or both, when one is missing.
        boolean key = tls.getCert() != null && (tls.getKey() == null || e.getMessage().startsWith("MINTARO_TLS_KEY"));
        throw new InvalidConfigurationPropertyValueException(key ? "mintaro.tls.key" : "mintaro.tls.cert",
            key ? tls.getKey() : tls.getCert(), e.getMessage());
      }
    }
    // The builder refuses this too, but at build(), where the property at fault is not known.
    if ((tls.getCa() != null || certificate) && collector.url() != null && !collector.url().isBlank()
        && !collector.url().toLowerCase(java.util.Locale.ROOT).startsWith("https://")) {
      throw new InvalidConfigurationPropertyValueException("mintaro.collector", collector.shown(),
          "mintaro.tls.* need an https:// collector URL");
    }
  }

  /**
   * spring.application.name as a Mintaro service name: an application's name may hold characters
   * the collector does not take, and nobody asked Mintaro to be strict about it.
   */
  static String serviceName(String applicationName) {
    if (applicationName == null || applicationName.isBlank()) {
      return UNKNOWN_SERVICE;
    }
    String name = applicationName.trim().replaceAll("[^A-Za-z0-9._-]", "-");
    return name.length() > 100 ? name.substring(0, 100) : name;
  }

  /**
   * spring.application.version as the service version, when it makes one: like the application's
   * name, it was not given to Mintaro, so a value core refuses is left out rather than stopping
   * the start.
   */
  private static void applicationVersion(MintaroSdk.Builder b, String version) {
    try {
      b.serviceVersion(version);
    } catch (IllegalArgumentException e) {
      // control characters: no version rather than a wrong one
    }
  }

  private static int bytes(DataSize size) {
    if (size == null) {
      throw new IllegalArgumentException("must be set");
    }
    long n = size.toBytes();
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("is out of range: " + size);
    }
    return (int) n;
  }

  /**
   * {@code auto}, in any case, for learnt thresholds; else a duration in any of Spring's forms
   * ({@code 2s}, {@code 500ms}, {@code PT2S}, a bare number of milliseconds). Bound as a string,
   * since {@code auto} is no duration, and parsed here, so that a bad value is reported like the
   * others.
   */
  private static void slowThreshold(MintaroSdk.Builder b, String value) {
    String v = value == null ? "" : value.trim();
    if (v.equalsIgnoreCase("auto")) {
      b.slowThresholdAuto();
      return;
    }
    Duration threshold;
    try {
      threshold = DurationStyle.detectAndParse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be auto or a duration like 2s, 500ms or PT2S");
    }
    b.slowThreshold(threshold);
  }

  private static void slowRoutes(MintaroSdk.Builder b, String routes) {
    for (String entry : routes.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.lastIndexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected '[METHOD ]/path=duration', got: " + entry.trim());
      }
      b.slowThreshold(entry.substring(0, eq).trim(), DurationStyle.detectAndParse(entry.substring(eq + 1).trim()));
    }
  }

  private static void set(String property, Object value, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
    }
  }

  @Override
  public void destroy() {
    Duration timeout = properties.getShutdownTimeout();
    for (MintaroSdk sdk : built) {
      sdk.close(timeout);
    }
    built.clear();
  }
}
