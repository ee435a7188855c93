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
