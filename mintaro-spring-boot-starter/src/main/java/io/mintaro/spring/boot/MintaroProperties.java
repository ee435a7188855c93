package io.mintaro.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.logging.LogLevel;
import org.springframework.util.unit.DataSize;

/**
 * Every Mintaro setting as a {@code mintaro.*} property; the environment works too
 * ({@code MINTARO_COLLECTOR}, {@code MINTARO_BUFFER_SIZE}, ...). Sizes take Spring's syntax
 * ({@code 32MB}) and core's ({@code 32m}); a bare number is bytes, a bare duration milliseconds.
 * Each part of the starter has an {@code enabled} switch.
 */
@ConfigurationProperties("mintaro")
public class MintaroProperties {

  /** Whether Mintaro is on at all. When off, the starter configures nothing. */
  private boolean enabled = true;

  /**
   * Service name shown in the collector, 1-100 of [A-Za-z0-9._-]. Defaults to
   * spring.application.name (other characters replaced by '-'), else "unknown-service".
   */
  private String service;

  /**
   * The version of the service, shown per service in the collector; at most 64 characters (a
   * longer one is cut). Defaults to spring.application.version (the Implementation-Version of
   * the application's jar, in Boot 3.4 and later), else none.
   */
  private String serviceVersion;

  /**
   * The collector's base URL, for example http://collector:7070. It may carry the API key as
   * its user part, like a DSN: http://KEY@collector:7070. Without one, traces are recorded
   * locally only. An unreachable collector never stops the application.
   */
  private String collector;

  /** The key the agent presents to the collector; wins over a key in the collector URL. */
  private String apiKey;

  /**
   * Memory budget of the flight recorder, 64KB to 1GB; the oldest records are overwritten first.
   * Unset: 64MB, or 1/8 of the maximum heap when that is less.
   */
  @CoreSizeSyntax
  private DataSize bufferSize;

  /** The most of each HTTP request or response body that is kept: at most 1MB and 1/32 of buffer-size. */
  @CoreSizeSyntax
  private DataSize maxBodySize = DataSize.ofKilobytes(64);

  /**
   * Headers whose values are never recorded, besides Authorization, Cookie, Set-Cookie,
   * Proxy-Authorization, X-Api-Key and X-Auth-Token.
   */
  private List<String> redactHeaders = new ArrayList<>();

  /**
   * Words that mark a JSON, form, query or JDBC parameter field as secret, besides password,
   * token and secret.
   */
  private List<String> redactFields = new ArrayList<>();

  /**
   * The trace headers sent on outgoing calls: w3c (traceparent, tracestate), b3 (the single b3
   * header), b3multi (X-B3-*) and mintaro (X-Mintaro-Trace). Unset: w3c,mintaro. Incoming
   * requests are read in every format.
   */
  private List<String> propagation;

  /** Which errors trigger collection of their trace. */
  private Set<Trigger> triggerOn = EnumSet.of(Trigger.SERVER_ERROR, Trigger.EXCEPTION, Trigger.ERROR_LOG);

  /**
   * A request slower than this triggers collection: a duration (2s, 500ms, PT2S; a bare number is
   * milliseconds), 0 to disable the slow trigger, or "auto" for a threshold each route learns from
   * its own recent requests (see slow-percentile and slow-floor).
   */
  private String slowThreshold = "2s";

  /**
   * With slow-threshold=auto, the percentile of each route's recent durations above which its
   * requests trigger: at least 50 and below 100. Unset: 99, about 1 in 100 requests per route.
   */
  private Double slowPercentile;

  /**
   * With slow-threshold=auto, the lowest threshold a route learns, so that a fast route does not
   * trigger on jitter: at least 1ms. Unset: 10ms.
   */
  private Duration slowFloor;

  /**
   * Per-route slow thresholds, for example "GET /reports=10s;/search=3s": a path prefix,
   * optionally after a method; the longest match wins; 0 disables the slow trigger there.
   */
  private String slowRoutes;

  /** Triggers per second this process may send. */
  private double triggerRate = 10;

  /** Triggers this process may send in a burst, above trigger-rate. */
  private int triggerBurst = 100;

  /**
   * Traces collected per minute for each local group of triggers (kind, endpoint and problem:
   * an HTTP 500 from GET /orders, slow requests of GET /search), at least 1; the group's further
   * triggers are only counted, so that a flood of one error leaves collections for the others.
   * Unset: 60.
   */
  private Integer triggerGroupLimit;

  /** The longest wait between attempts to reach a collector that is down. */
  private Duration reconnectMaxDelay = Duration.ofSeconds(30);

  /** How long shutdown waits for pending triggers and their traces to reach the collector. */
  private Duration shutdownTimeout = Duration.ofSeconds(2);

  /** The servlet filter that records every request, registered first in the chain. */
  private final Part filter = new Part();

  /** Exceptions Spring MVC resolves (exception handlers, error pages) kept on the request's span. */
  private final Part mvcErrors = new Part();

  /** The interceptor on every RestClient.Builder and RestClient bean. */
  private final Part restClient = new Part();

  /** The interceptor on the RestTemplateBuilder and every RestTemplate bean. */
  private final Part restTemplate = new Part();

  /** Every JDK HttpClient bean, wrapped. */
  private final Part httpClient = new Part();

  /** The Logback appender on Boot's root logger. */
  private final Logging logging = new Logging();

  /** Statements of every DataSource bean, as client spans. */
  private final Jdbc jdbc = new Jdbc();

  /** @Async methods and Boot's task executors and schedulers carry the submitter's trace. */
  private final Part async = new Part();

  /** The "mintaro" health contributor: the agent's link to the collector. */
  private final Part health = new Part();

  /** Methods annotated with @io.mintaro.Traced become spans, through Spring AOP. */
  private final Part traced = new Part();

  /** TLS with an https collector (docs/security.md). */
  private final Tls tls = new Tls();

  /** The error triggers of {@code mintaro.trigger-on}. */
  public enum Trigger {
    /** A server answers with status 500 or more. */
    SERVER_ERROR,
    /** An exception escapes a request handler. */
    EXCEPTION,
    /** An ERROR log line inside a trace. */
    ERROR_LOG,
    /** No error triggers (slow and manual triggers still work). */
    NONE
  }

  /** A part of the starter that can be switched off. */
  public static class Part {
    /** Whether this part is on. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** The agent's TLS settings for an https collector; the certificate and host name are always verified. */
  public static class Tls {
    /** PEM file of the CAs trusted for the collector's certificate, instead of the JDK's trust store. */
    private String ca;

    /** PEM file of the agent's client certificate, for a collector that requires one (mTLS). */
    private String cert;

    /** PEM file of the client certificate's private key, unencrypted PKCS#8 (BEGIN PRIVATE KEY). */
    private String key;

    public String getCa() {
      return ca;
    }

    public void setCa(String ca) {
      this.ca = ca;
    }

    public String getCert() {
      return cert;
    }

    public void setCert(String cert) {
      this.cert = cert;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }

  /** The Logback appender on Boot's root logger. */
  public static class Logging {
    /** Whether log lines are captured into traces. */
    private boolean enabled = true;

    /**
     * The lowest level captured into traces, whatever the loggers' own levels: DEBUG keeps DEBUG
     * lines in traces while the console still shows what logging.level says. Unset, traces get
     * what the loggers let through.
     */
    private LogLevel level;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public LogLevel getLevel() {
      return level;
    }

    public void setLevel(LogLevel level) {
      this.level = level;
    }
  }

  /** Statements of every DataSource bean, as client spans. */
  public static class Jdbc {
    /** Whether DataSource beans are wrapped. */
    private boolean enabled = true;

    /**
     * Whether a failing statement triggers collection of its trace (it is recorded on its span
     * either way). Unset: MINTARO_JDBC_TRIGGER_ON_ERROR, else off.
     */
    private Boolean triggerOnError;

    /**
     * Whether bind values are recorded, secrets redacted. Unset: MINTARO_JDBC_CAPTURE_PARAMETERS,
     * else off.
     */
    private Boolean captureParameters;

    /** The most characters kept of each bind value, 1 to 8192. Unset: 256. */
    private Integer maxParameterLength;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public Boolean getTriggerOnError() {
      return triggerOnError;
    }

    public void setTriggerOnError(Boolean triggerOnError) {
      this.triggerOnError = triggerOnError;
    }

    public Boolean getCaptureParameters() {
      return captureParameters;
    }

    public void setCaptureParameters(Boolean captureParameters) {
      this.captureParameters = captureParameters;
    }

    public Integer getMaxParameterLength() {
      return maxParameterLength;
    }

    public void setMaxParameterLength(Integer maxParameterLength) {
      this.maxParameterLength = maxParameterLength;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getService() {
    return service;
  }

  public void setService(String service) {
    this.service = service;
  }

  public String getServiceVersion() {
    return serviceVersion;
  }

  public void setServiceVersion(String serviceVersion) {
    this.serviceVersion = serviceVersion;
  }

  public String getCollector() {
    return collector;
  }

  public void setCollector(String collector) {
    this.collector = collector;
  }

  public String getApiKey() {
    return apiKey;
  }

  public void setApiKey(String apiKey) {
    this.apiKey = apiKey;
  }

  public DataSize getBufferSize() {
    return bufferSize;
  }

  public void setBufferSize(DataSize bufferSize) {
    this.bufferSize = bufferSize;
  }

  public DataSize getMaxBodySize() {
    return maxBodySize;
  }

  public void setMaxBodySize(DataSize maxBodySize) {
    this.maxBodySize = maxBodySize;
  }

  public List<String> getRedactHeaders() {
    return redactHeaders;
  }

  public void setRedactHeaders(List<String> redactHeaders) {
    this.redactHeaders = redactHeaders;
  }

  public List<String> getRedactFields() {
    return redactFields;
  }

  public void setRedactFields(List<String> redactFields) {
    this.redactFields = redactFields;
  }

  public List<String> getPropagation() {
    return propagation;
  }

  public void setPropagation(List<String> propagation) {
    this.propagation = propagation;
  }

  public Set<Trigger> getTriggerOn() {
    return triggerOn;
  }

  public void setTriggerOn(Set<Trigger> triggerOn) {
    this.triggerOn = triggerOn;
  }

  public String getSlowThreshold() {
    return slowThreshold;
  }

  public void setSlowThreshold(String slowThreshold) {
    this.slowThreshold = slowThreshold;
  }

  public Double getSlowPercentile() {
    return slowPercentile;
  }

  public void setSlowPercentile(Double slowPercentile) {
    this.slowPercentile = slowPercentile;
  }

  public Duration getSlowFloor() {
    return slowFloor;
  }

  public void setSlowFloor(Duration slowFloor) {
    this.slowFloor = slowFloor;
  }

  public String getSlowRoutes() {
    return slowRoutes;
  }

  public void setSlowRoutes(String slowRoutes) {
    this.slowRoutes = slowRoutes;
  }

  public double getTriggerRate() {
    return triggerRate;
  }

  public void setTriggerRate(double triggerRate) {
    this.triggerRate = triggerRate;
  }

  public int getTriggerBurst() {
    return triggerBurst;
  }

  public void setTriggerBurst(int triggerBurst) {
    this.triggerBurst = triggerBurst;
  }

  public Integer getTriggerGroupLimit() {
    return triggerGroupLimit;
  }

  public void setTriggerGroupLimit(Integer triggerGroupLimit) {
    this.triggerGroupLimit = triggerGroupLimit;
  }

  public Duration getReconnectMaxDelay() {
    return reconnectMaxDelay;
  }

  public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
    this.reconnectMaxDelay = reconnectMaxDelay;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public Part getFilter() {
    return filter;
  }

  public Part getMvcErrors() {
    return mvcErrors;
  }

  public Part getRestClient() {
    return restClient;
  }

  public Part getRestTemplate() {
    return restTemplate;
  }

  public Part getHttpClient() {
    return httpClient;
  }

  public Logging getLogging() {
    return logging;
  }

  public Jdbc getJdbc() {
    return jdbc;
  }

  public Part getAsync() {
    return async;
  }

  public Part getHealth() {
    return health;
  }

  public Part getTraced() {
    return traced;
  }

  public Tls getTls() {
    return tls;
  }
}
