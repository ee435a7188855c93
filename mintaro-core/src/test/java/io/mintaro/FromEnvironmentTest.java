package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.Core;
import io.mintaro.internal.Settings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings come from system properties ({@code mintaro.x.y}) as well as the environment. */
class FromEnvironmentTest {
  private final List<String> set = new ArrayList<>();

  @AfterEach
  void clearProperties() {
    set.forEach(System::clearProperty);
  }

  @Test
  void systemPropertiesConfigureTheSdk() {
    property("mintaro.service", "env-svc");
    property("mintaro.slow.routes", "GET /a=10ms;/b=2s; ;POST /b/c = 1.5s");
    property("mintaro.slow.threshold", "750ms");
    property("mintaro.buffer.size", "1m");
    property("mintaro.max.body.size", "8k");
    property("mintaro.redact.headers", "X-Api-Key, X-Other ,");
    property("mintaro.redact.fields", "pin,cvv");
    property("mintaro.trigger.on", "Server-Error, exception");
    property("mintaro.trigger.rate", "5/s");
    property("mintaro.trigger.burst", "7");

    try (MintaroSdk sdk = MintaroSdk.fromEnvironment()) {
      Core core = Core.of(sdk);
      Settings settings = core.settings();
      assertThat(sdk.service()).isEqualTo("env-svc");
      assertThat(core.slowThresholdMicros("GET", "/a/x")).isEqualTo(10_000);
      assertThat(core.slowThresholdMicros("POST", "/a/x")).isEqualTo(750_000);
      assertThat(core.slowThresholdMicros("PUT", "/b")).isEqualTo(2_000_000);
      assertThat(core.slowThresholdMicros("POST", "/b/c/d")).isEqualTo(1_500_000);
      assertThat(core.recorder().capacity()).isEqualTo(1 << 20);
      assertThat(settings.maxBodySize).isEqualTo(8 * 1024);
      assertThat(settings.redactHeaders).contains("x-api-key", "x-other", "authorization");
      assertThat(settings.redactFields).contains("pin", "cvv", "password");
      assertThat(settings.triggerOnServerError).isTrue();
      assertThat(settings.triggerOnException).isTrue();
      assertThat(settings.triggerOnErrorLog).isFalse();
      assertThat(settings.triggerRate).isEqualTo(5.0);
      assertThat(settings.triggerBurst).isEqualTo(7);
    }
  }

  @Test
  void theServiceVersionComesFromMintaroVersion() {
    property("mintaro.version", "2026.01.15-3f2a9c0");

    assertThat(MintaroSdk.builder().fromEnvironment().settings().serviceVersion).isEqualTo("2026.01.15-3f2a9c0");
  }

  @Test
  void theSlowThresholdCanBeLearntPerRoute() {
    property("mintaro.slow.threshold", " AUTO ");
    property("mintaro.slow.percentile", "p99.5");
    property("mintaro.slow.floor", "25ms");
    property("mintaro.slow.routes", "/reports=10s");

    try (MintaroSdk sdk = MintaroSdk.fromEnvironment()) {
      Core core = Core.of(sdk);
      assertThat(core.settings().slowAuto).isTrue();
      assertThat(core.settings().slowPercentile).isEqualTo(99.5);
      assertThat(core.settings().slowFloorMicros).isEqualTo(25_000);
      assertThat(core.slowThresholdMicros("GET", "/orders")).as("nothing learnt yet").isZero();
      assertThat(core.slowThresholdMicros("GET", "/reports/daily")).isEqualTo(10_000_000);
    }
  }

  @Test
  void theLearntThresholdDefaultsToTheNinetyNinthPercentileAndATenMillisecondFloor() {
    property("mintaro.slow.threshold", "auto");

    Settings settings = MintaroSdk.builder().fromEnvironment().settings();
    assertThat(settings.slowAuto).isTrue();
    assertThat(settings.slowPercentile).isEqualTo(99);
    assertThat(settings.slowFloorMicros).isEqualTo(10_000);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "mintaro.slow.percentile | 100        | MINTARO_SLOW_PERCENTILE must be at least 50 and below 100",
      "mintaro.slow.percentile | 49         | MINTARO_SLOW_PERCENTILE must be at least 50 and below 100",
      "mintaro.slow.percentile | high       | MINTARO_SLOW_PERCENTILE must be a percentile like 99 or 99.9",
      "mintaro.slow.percentile | 99%        | MINTARO_SLOW_PERCENTILE must be a percentile like 99 or 99.9",
      "mintaro.slow.threshold  | automatic  | MINTARO_SLOW_THRESHOLD must be auto or a duration",
      "mintaro.slow.floor      | 500us      | MINTARO_SLOW_FLOOR must be a duration",
      "mintaro.slow.floor      | 0          | slowFloor must be at least 1 ms"})
  void invalidLearntThresholdSettingsFailWithAMessageNamingThem(String name, String value, String message) {
    property(name, value);

    assertThatThrownBy(() -> MintaroSdk.builder().fromEnvironment()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void blankPropertiesAreIgnored() {
    property("mintaro.service", "  ");

    assertThat(MintaroSdk.builder().service("kept").fromEnvironment().settings().service).isEqualTo("kept");
  }

  @Test
  void triggersCanAllBeTurnedOff() {
    property("mintaro.trigger.on", "none");

    Settings settings = MintaroSdk.builder().fromEnvironment().settings();
    assertThat(settings.triggerOnServerError || settings.triggerOnException || settings.triggerOnErrorLog).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "mintaro.service        | bad name",
      "mintaro.collector      | ftp://collector",
      "mintaro.api.key        | has space",
      "mintaro.buffer.size    | lots",
      "mintaro.buffer.size    | 16k",
      "mintaro.buffer.size    | 99999999999999999999",
      "mintaro.max.body.size  | -1",
      "mintaro.max.body.size  | 64kb",
      "mintaro.buffer.size    | 32 MB",
      "mintaro.trigger.on     | sometimes",
      "mintaro.slow.threshold | soon",
      "mintaro.slow.threshold | -5ms",
      "mintaro.slow.routes    | /a",
      "mintaro.slow.routes    | a=1s",
      "mintaro.slow.routes    | /a=fast",
      "mintaro.trigger.rate   | many",
      "mintaro.trigger.rate   | 0",
      "mintaro.trigger.burst  | 0",
      "mintaro.redact.headers | a b"})
  void invalidValuesFailWhenTheEnvironmentIsRead(String name, String value) {
    property(name, value);

    assertThatThrownBy(() -> MintaroSdk.builder().fromEnvironment()).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"65536, 65536", "64k, 65536", "64K, 65536", "64kib, 65536", "32m, 33554432", "1g, 1073741824",
      "' 2m ', 2097152"})
  void sizesAreReadInBinaryUnits(String text, int bytes) {
    assertThat(Settings.parseSize("MINTARO_BUFFER_SIZE", text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource({"1500, 1500", "1500ms, 1500", "2s, 2000", "1.5s, 1500", "1m, 60000", "' 10 ms ', 10"})
  void durationsAreReadInMillisecondsSecondsOrMinutes(String text, long millis) {
    assertThat(Settings.parseDuration("MINTARO_SLOW_THRESHOLD", text).toMillis()).isEqualTo(millis);
  }

  private void property(String name, String value) {
    System.setProperty(name, value);
    set.add(name);
  }
}
