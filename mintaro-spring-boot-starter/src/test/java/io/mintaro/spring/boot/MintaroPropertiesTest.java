package io.mintaro.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.MintaroSdk;
import io.mintaro.testkit.servers.TestCertificates;
import io.mintaro.http.ClientExchange;
import io.mintaro.http.ServerExchange;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** Every setting as a property or an environment variable; bad values stop the start naming the property. */
@ExtendWith(OutputCaptureExtension.class)
class MintaroPropertiesTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MintaroAutoConfiguration.class));

  /** The environment variables of a process, as Boot reads them. */
  private ApplicationContextRunner withEnvironment(Map<String, Object> variables) {
    return runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
  }

  @Test
  void theDefaultsAreCores() {
    runner.run(context -> {
      MintaroProperties p = context.getBean(MintaroProperties.class);
      assertThat(p.getBufferSize()).as("unset: core's default, which depends on the heap").isNull();
      assertThat(p.getMaxBodySize()).isEqualTo(DataSize.ofBytes(MintaroSdk.DEFAULT_MAX_BODY_SIZE));
      assertThat(p.getSlowThreshold()).isEqualTo("2s");
      assertThat(p.getSlowPercentile()).as("core's 99").isNull();
      assertThat(p.getSlowFloor()).as("core's 10 ms").isNull();
      assertThat(p.getTriggerGroupLimit()).as("core's 60").isNull();
      assertThat(p.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(p.getTriggerOn()).containsExactlyInAnyOrder(MintaroProperties.Trigger.SERVER_ERROR,
          MintaroProperties.Trigger.EXCEPTION, MintaroProperties.Trigger.ERROR_LOG);
      assertThat(p.getTriggerRate()).isEqualTo(10);
      assertThat(p.getTriggerBurst()).isEqualTo(100);
      assertThat(p.getCollector()).isNull();
    });
  }

  @Test
  void sizesTakeSpringsSyntaxAndCores() {
    runner.withPropertyValues("mintaro.buffer-size=16MB", "mintaro.max-body-size=8k").run(context -> {
      MintaroProperties p = context.getBean(MintaroProperties.class);
      assertThat(p.getBufferSize()).isEqualTo(DataSize.ofMegabytes(16));
      assertThat(p.getMaxBodySize()).isEqualTo(DataSize.ofKilobytes(8));
    });
    runner.withPropertyValues("mintaro.buffer-size=1048576", "mintaro.max-body-size=2kib")
        .run(context -> {
          assertThat(context.getBean(MintaroProperties.class).getBufferSize()).as("bytes").isEqualTo(DataSize.ofMegabytes(1));
          assertThat(context.getBean(MintaroProperties.class).getMaxBodySize()).isEqualTo(DataSize.ofKilobytes(2));
        });
  }

  @Test
  void everySettingComesFromTheEnvironmentToo() {
    withEnvironment(Map.ofEntries(
        Map.entry("MINTARO_SERVICE", "orders"),
        Map.entry("MINTARO_SERVICE_VERSION", "2.4.1"),
        Map.entry("MINTARO_COLLECTOR", "http://collector.internal:7070"),
        Map.entry("MINTARO_API_KEY", "k-123"),
        Map.entry("MINTARO_BUFFER_SIZE", "8m"),
        Map.entry("MINTARO_MAX_BODY_SIZE", "16KB"),
        Map.entry("MINTARO_REDACT_HEADERS", "x-one,x-two"),
        Map.entry("MINTARO_TRIGGER_ON", "server-error,error-log"),
        Map.entry("MINTARO_SLOW_THRESHOLD", "500ms"),
        Map.entry("MINTARO_SLOW_PERCENTILE", "99.5"),
        Map.entry("MINTARO_SLOW_FLOOR", "20ms"),
        Map.entry("MINTARO_TRIGGER_GROUP_LIMIT", "30"),
        Map.entry("MINTARO_SLOW_ROUTES", "GET /reports=10s;/search=3s"),
        Map.entry("MINTARO_PROPAGATION", "w3c,b3"),
        Map.entry("MINTARO_LOGGING_LEVEL", "debug"))).run(context -> {
          MintaroProperties p = context.getBean(MintaroProperties.class);
          assertThat(p.getCollector()).isEqualTo("http://collector.internal:7070");
          assertThat(p.getServiceVersion()).isEqualTo("2.4.1");
          assertThat(p.getApiKey()).isEqualTo("k-123");
          assertThat(p.getBufferSize()).isEqualTo(DataSize.ofMegabytes(8));
          assertThat(p.getMaxBodySize()).isEqualTo(DataSize.ofKilobytes(16));
          assertThat(p.getRedactHeaders()).containsExactly("x-one", "x-two");
          assertThat(p.getTriggerOn()).containsExactlyInAnyOrder(MintaroProperties.Trigger.SERVER_ERROR,
              MintaroProperties.Trigger.ERROR_LOG);
          assertThat(p.getSlowThreshold()).isEqualTo("500ms");
          assertThat(p.getSlowPercentile()).isEqualTo(99.5);
          assertThat(p.getSlowFloor()).isEqualTo(Duration.ofMillis(20));
          assertThat(p.getTriggerGroupLimit()).isEqualTo(30);
          assertThat(p.getSlowRoutes()).isEqualTo("GET /reports=10s;/search=3s");
          assertThat(p.getLogging().getLevel()).isEqualTo(LogLevel.DEBUG);
          assertThat(p.getPropagation()).containsExactly("w3c", "b3");
          assertThat(context.getBean(MintaroSdk.class).service()).isEqualTo("orders");
        });
  }

  @Test
  void slowThresholdTakesAutoOrADurationInSpringsForms() {
    for (String value : new String[] {"auto", "AUTO", " auto ", "2s", "500ms", "PT1.5S", "1500", "0"}) {
      runner.withPropertyValues("mintaro.slow-threshold=" + value).run(context -> {
        assertThat(context).as(value).hasNotFailed();
        assertThat(context.getBean(MintaroProperties.class).getSlowThreshold()).isEqualTo(value.trim());
      });
    }
    withEnvironment(Map.of("MINTARO_SLOW_THRESHOLD", "auto")).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(MintaroProperties.class).getSlowThreshold()).isEqualTo("auto");
    });
  }

  @Test
  void aFixedSlowThresholdReachesTheSdk() {
    // With one collection per group and minute, every slow request after the first is counted.
    for (String threshold : new String[] {"5ms", "PT0.005S", "5"}) {
      runner.withPropertyValues("mintaro.slow-threshold=" + threshold, "mintaro.trigger-group-limit=1")
          .run(context -> {
            MintaroSdk sdk = context.getBean(MintaroSdk.class);
            requests(sdk, "/orders", 3, 30);
            assertThat(sdk.stats().triggersGroupLimited()).as(threshold).isEqualTo(2);
          });
    }
    runner.withPropertyValues("mintaro.trigger-group-limit=1").run(context -> {
      MintaroSdk sdk = context.getBean(MintaroSdk.class);
      requests(sdk, "/orders", 3, 30);
      assertThat(sdk.stats().triggersGroupLimited()).as("2s by default").isZero();
    });
  }

  @Test
  void slowThresholdAutoLearnsEachRoutesThreshold() {
    runner.withPropertyValues("mintaro.slow-threshold=auto", "mintaro.trigger-group-limit=1").run(context -> {
      MintaroSdk sdk = context.getBean(MintaroSdk.class);
      requests(sdk, "/reports", 2, 50);
      assertThat(sdk.stats().triggersGroupLimited()).as("a route warming up is never slow").isZero();
      requests(sdk, "/orders", 100, 0);
      requests(sdk, "/orders", 2, 50);
      assertThat(sdk.stats().triggersGroupLimited())
          .as("after 100 requests, above the 99th percentile and the 10 ms floor").isEqualTo(1);
    });
  }

  @Test
  void theSlowFloorReachesTheSdk() {
    runner.withPropertyValues("mintaro.slow-threshold=auto", "mintaro.slow-floor=300ms",
        "mintaro.trigger-group-limit=1").run(context -> {
          MintaroSdk sdk = context.getBean(MintaroSdk.class);
          requests(sdk, "/orders", 100, 0);
          requests(sdk, "/orders", 2, 50);
          assertThat(sdk.stats().triggersGroupLimited()).as("50 ms is below the floor").isZero();
        });
  }

  @Test
  void theSlowPercentileReachesTheSdk() {
    // 5 requests in 100 take 60 ms: the 99th percentile is about 60 ms, the 75th below the floor.
    long[] counted = new long[2];
    String[][] settings = {{"mintaro.slow-threshold=auto", "mintaro.trigger-group-limit=1"},
        {"mintaro.slow-threshold=auto", "mintaro.trigger-group-limit=1", "mintaro.slow-percentile=75"}};
    for (int i = 0; i < 2; i++) {
      int run = i;
      runner.withPropertyValues(settings[i]).run(context -> {
        MintaroSdk sdk = context.getBean(MintaroSdk.class);
        requests(sdk, "/orders", 95, 0);
        requests(sdk, "/orders", 5, 60);
        requests(sdk, "/orders", 2, 20);
        counted[run] = sdk.stats().triggersGroupLimited();
      });
    }
    assertThat(counted[0]).as("20 ms is below the 99th percentile").isZero();
    assertThat(counted[1]).as("20 ms is above the 75th percentile, so above the floor").isEqualTo(1);
  }

  @Test
  void theTriggerGroupLimitReachesTheSdk() {
    runner.withPropertyValues("mintaro.trigger-group-limit=2").run(context -> {
      MintaroSdk sdk = context.getBean(MintaroSdk.class);
      failedRequests(sdk, 5);
      assertThat(sdk.stats().triggersGroupLimited()).isEqualTo(3);
    });
    runner.run(context -> {
      MintaroSdk sdk = context.getBean(MintaroSdk.class);
      failedRequests(sdk, 5);
      assertThat(sdk.stats().triggersGroupLimited()).as("60 a minute by default").isZero();
    });
  }

  @Test
  void theHealthDetailsCarryTheTriggerCountsAndTheRecordersHistory() {
    runner.withPropertyValues("mintaro.trigger-group-limit=1").run(context -> {
      failedRequests(context.getBean(MintaroSdk.class), 3);
      Thread.sleep(50);
      Map<String, Object> details = context.getBean(MintaroHealth.class).details();
      assertThat(details).containsEntry("triggersGroupLimited", 2L)
          .as("counts are acknowledged by a collector").containsEntry("triggersCounted", 0L)
          .containsKeys("historyMillis", "oldestRecordAgeMillis");
      assertThat((Long) details.get("historyMillis")).isNotNegative();
      assertThat((Long) details.get("oldestRecordAgeMillis")).as("the requests were 50 ms ago")
          .isGreaterThanOrEqualTo(40).isGreaterThanOrEqualTo((Long) details.get("historyMillis"));
    });
  }

  @Test
  void thePropagationFormatsReachTheSdk() {
    runner.withPropertyValues("mintaro.propagation=w3c,b3").run(context -> {
      java.util.Set<String> sent = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      ClientExchange exchange = ClientExchange.start(context.getBean(MintaroSdk.class), "GET",
          java.net.URI.create("http://inventory:8080/items"));
      exchange.propagationHeaders((name, value) -> sent.add(name));
      exchange.close();
      assertThat(sent).contains("traceparent", "b3").doesNotContain("x-mintaro-trace");
    });
  }

  @Test
  void aPartIsSwitchedOffFromTheEnvironment() {
    withEnvironment(Map.of("MINTARO_REST_CLIENT_ENABLED", "false", "MINTARO_JDBC_ENABLED", "false"))
        .run(context -> {
          assertThat(context).doesNotHaveBean("mintaroRestClientInstrumentation")
              .doesNotHaveBean("mintaroDataSourceWrapping").hasBean("mintaroRestTemplateInstrumentation");
        });
  }

  @Test
  void aBadValueStopsTheStartNamingTheProperty() {
    assertStartFails("mintaro.collector=ftp://collector", "mintaro.collector");
    assertStartFails("mintaro.collector=not a url", "mintaro.collector");
    assertStartFails("mintaro.service=my shop", "mintaro.service");
    assertStartFails("mintaro.buffer-size=lots", "mintaro.buffer-size");
    assertStartFails("mintaro.buffer-size=1KB", "mintaro.buffer-size");
    assertStartFails("mintaro.max-body-size=2MB", "mintaro.max-body-size");
    assertStartFails("mintaro.slow-threshold=soon", "mintaro.slow-threshold");
    assertStartFails("mintaro.slow-threshold=", "mintaro.slow-threshold");
    assertStartFails("mintaro.slow-threshold=-1s", "mintaro.slow-threshold");
    assertStartFails("mintaro.slow-percentile=100", "mintaro.slow-percentile");
    assertStartFails("mintaro.slow-percentile=high", "mintaro.slow-percentile");
    assertStartFails("mintaro.slow-floor=500us", "mintaro.slow-floor");
    assertStartFails("mintaro.slow-floor=soon", "mintaro.slow-floor");
    assertStartFails("mintaro.trigger-group-limit=0", "mintaro.trigger-group-limit");
    assertStartFails("mintaro.trigger-group-limit=many", "mintaro.trigger-group-limit");
    assertStartFails("mintaro.slow-routes=GET /reports", "mintaro.slow-routes");
    assertStartFails("mintaro.trigger-on=sometimes", "mintaro.trigger-on");
    assertStartFails("mintaro.trigger-burst=0", "mintaro.trigger-burst");
    assertStartFails("mintaro.api-key=has space", "mintaro.api-key");
    assertStartFails("mintaro.redact-headers=x-ok,bad header", "mintaro.redact-headers");
    assertStartFails("mintaro.propagation=w3c,zipkin", "mintaro.propagation");
  }

  @Test
  void aBadSlowThresholdSaysWhatItTakes() {
    runner.withPropertyValues("mintaro.slow-threshold=soon").run(context -> assertThat(context).hasFailed()
        .getFailure().satisfies(failure -> {
          assertThat(failure).hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class);
          assertThat(messages(failure)).contains("Property mintaro.slow-threshold with value 'soon' is invalid:"
              + " must be auto or a duration like 2s, 500ms or PT2S");
        }));
  }

  @Test
  void aKeyInABadCollectorUrlIsNotShownInTheError() {
    runner.withPropertyValues("mintaro.collector=ftp://s3cr3t@collector").run(context -> assertThat(context)
        .hasFailed().getFailure().satisfies(failure -> assertThat(messages(failure)).contains("mintaro.collector")
            .contains("ftp://***@collector").doesNotContain("s3cr3t")));
  }

  @Test
  void theTlsFilesReachTheSdkFromPropertiesOrTheEnvironment(@TempDir Path dir) {
    TestCertificates.Authority ca = TestCertificates.authority(dir, "test-ca");
    TestCertificates.Issued agent = ca.issue("agent");
    withEnvironment(Map.of("MINTARO_COLLECTOR", "https://collector.internal:7070",
        "MINTARO_TLS_CA", ca.certificate().toString(),
        "MINTARO_TLS_CERT", agent.certificate().toString(),
        "MINTARO_TLS_KEY", agent.privateKey().toString())).run(context -> {
          MintaroProperties p = context.getBean(MintaroProperties.class);
          assertThat(p.getTls().getCa()).isEqualTo(ca.certificate().toString());
          // read and checked by the builder: a key that is no key stops the start (below)
          assertThat(context).hasNotFailed().hasSingleBean(MintaroSdk.class);
        });
    runner.withPropertyValues("mintaro.collector=https://collector.internal:7070",
        "mintaro.tls.cert=" + agent.certificate(), "mintaro.tls.key=" + ca.certificate())
        .run(context -> assertThat(context).hasFailed().getFailure().satisfies(failure ->
            assertThat(messages(failure)).contains("mintaro.tls.key").contains("no 'BEGIN PRIVATE KEY' block")));
    runner.withPropertyValues("mintaro.collector=http://s3cr3t@collector.internal:7070", "mintaro.tls.ca=" + ca.certificate())
        .run(context -> assertThat(context).hasFailed().getFailure().satisfies(failure ->
            assertThat(messages(failure)).contains("mintaro.collector").contains("need an https:// collector URL")
                .doesNotContain("s3cr3t")));
  }

  @Test
  void badTlsSettingsStopTheStartNamingTheProperty(@TempDir Path dir) {
    Path missing = dir.resolve("missing.pem");
    runner.withPropertyValues("mintaro.collector=https://collector.internal:7070", "mintaro.tls.ca=" + missing)
        .run(context -> assertThat(context).hasFailed().getFailure().satisfies(failure ->
            assertThat(messages(failure)).contains("mintaro.tls.ca").contains("no such file: " + missing)));
    assertStartFails("mintaro.tls.cert=/some/cert.pem", "mintaro.tls.key");
  }

  private void assertStartFails(String property, String named) {
    runner.withPropertyValues(property).run(context -> assertThat(context).hasFailed()
        .getFailure().satisfies(failure -> assertThat(messages(failure)).contains(named)));
  }

  private static String messages(Throwable failure) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      out.append(t.getMessage()).append('\n');
    }
    return out.toString();
  }

  /** IDE completion: the configuration processor's file, as it is in the jar. */
  @Test
  void everySettingHasItsMetadata() throws Exception {
    String metadata;
    try (var in = MintaroProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("spring-configuration-metadata.json").isNotNull();
      metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (String name : new String[] {"service", "service-version", "collector", "api-key", "buffer-size", "max-body-size",
        "redact-headers", "redact-fields", "propagation", "trigger-on", "slow-threshold", "slow-percentile",
        "slow-floor", "slow-routes", "trigger-rate", "trigger-burst", "trigger-group-limit", "reconnect-max-delay", "shutdown-timeout", "logging.level",
        "jdbc.capture-parameters", "jdbc.trigger-on-error", "jdbc.max-parameter-length", "enabled",
        "filter.enabled", "mvc-errors.enabled", "rest-client.enabled", "rest-template.enabled",
        "http-client.enabled", "logging.enabled", "jdbc.enabled", "async.enabled", "health.enabled",
        "traced.enabled", "tls.ca", "tls.cert", "tls.key"}) {
      assertThat(metadata).contains("\"name\": \"mintaro." + name + "\"");
    }
  }

  @Test
  void aRealStartThatFailsSaysWhichPropertyAndWhy(CapturedOutput output) {
    SpringApplication app = new SpringApplication(Minimal.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    assertThatThrownBy(() -> app.run("--mintaro.collector=collector:7070", "--spring.main.banner-mode=off"))
        .isInstanceOf(RuntimeException.class);
    assertThat(output).contains("APPLICATION FAILED TO START").contains("mintaro.collector")
        .contains("collector must be an http(s) URL with a host");
  }

  @Test
  void anUnreachableCollectorNeverStopsTheStart() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    runner.withPropertyValues("mintaro.collector=http://127.0.0.1:" + closedPort).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(MintaroSdk.class).stats().connected()).isFalse();
      assertThat(context.getBean(MintaroHealth.class).status()).isEqualTo("UNKNOWN");
    });
    runner.withPropertyValues("mintaro.collector=http://collector.invalid:7070")
        .run(context -> assertThat(context).as("nor a name that does not resolve").hasNotFailed());
  }

  /** {@code n} requests of a route, each taking {@code millis}, answered 200. */
  private static void requests(MintaroSdk sdk, String path, int n, long millis) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://orders" + path, path, name -> null);
      if (millis > 0) {
        Thread.sleep(millis);
      }
      exchange.status(200);
      exchange.close();
    }
  }

  /** {@code n} requests answered 500, each its own trace, all of one local group. */
  private static void failedRequests(MintaroSdk sdk, int n) {
    for (int i = 0; i < n; i++) {
      ServerExchange exchange = ServerExchange.start(sdk, "GET", "http://orders/pay", "/pay", name -> null);
      exchange.status(500);
      exchange.close();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(MintaroAutoConfiguration.class)
  static class Minimal {
  }
}
