package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.internal.Core;
import io.mintaro.internal.Settings;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration is validated when it is given: bad values fail there, never later in the host. */
class MintaroSdkBuilderTest {

  @Test
  void theDefaultsBuildALocalOnlySdk() {
    try (MintaroSdk sdk = MintaroSdk.builder().build()) {
      Settings settings = Core.of(sdk).settings();
      assertThat(sdk.service()).isEqualTo("unknown-service");
      assertThat(sdk.agentId()).matches("[0-9a-f]{16}");
      assertThat(settings.collector).isNull();
      assertThat(settings.bufferSize).isEqualTo(MintaroSdk.DEFAULT_BUFFER_SIZE);
      assertThat(settings.maxBodySize).isEqualTo(MintaroSdk.DEFAULT_MAX_BODY_SIZE);
      assertThat(settings.redactHeaders).contains("authorization", "cookie", "set-cookie", "proxy-authorization");
      assertThat(settings.redactFields).contains("password", "token", "secret");
      assertThat(settings.slowThresholdMicros).isEqualTo(2_000_000);
      assertThat(settings.slowAuto).isFalse();
      assertThat(sdk.stats().connected()).isFalse();
    }
  }

  @Test
  void eachSdkHasItsOwnAgentIdAndRecorder() {
    try (MintaroSdk a = TestSdks.local(); MintaroSdk b = TestSdks.local()) {
      assertThat(a.agentId()).isNotEqualTo(b.agentId());
      assertThat(Core.of(a).recorder()).isNotSameAs(Core.of(b).recorder());
    }
  }

  @Test
  void theSettingsGivenAreTheSettingsUsed() {
    try (MintaroSdk sdk = MintaroSdk.builder().service("orders-v2.eu_1").bufferSize(1 << 20).maxBodySize(4096)
        .redactHeaders("X-Api-Key").redactFields("PIN").slowThreshold(Duration.ofMillis(750))
        .slowThreshold("POST /reports", Duration.ofSeconds(30)).triggerRateLimit(5, 7)
        .triggerOnErrorLog(false).reconnectMaxDelay(Duration.ofSeconds(5)).build()) {
      Settings settings = Core.of(sdk).settings();
      assertThat(sdk.service()).isEqualTo("orders-v2.eu_1");
      assertThat(Core.of(sdk).recorder().capacity()).isEqualTo(1 << 20);
      assertThat(settings.maxBodySize).isEqualTo(4096);
      assertThat(settings.redactHeaders).contains("x-api-key");
      assertThat(settings.redactFields).contains("pin");
      assertThat(Core.of(sdk).redactor().header("x-api-key", "k")).isEqualTo("[REDACTED]");
      assertThat(Core.of(sdk).slowThresholdMicros("GET", "/x")).isEqualTo(750_000);
      assertThat(Core.of(sdk).slowThresholdMicros("POST", "/reports/1")).isEqualTo(30_000_000);
      assertThat(settings.triggerRate).isEqualTo(5);
      assertThat(settings.triggerBurst).isEqualTo(7);
      assertThat(settings.triggerOnErrorLog).isFalse();
      assertThat(settings.triggerOnServerError).isTrue();
      assertThat(settings.reconnectMaxDelayMillis).isEqualTo(5_000);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "slash/y", "ünïcode", "new\nline", "tab\t"})
  void invalidServiceNamesAreRejected(String name) {
    assertThatThrownBy(() -> MintaroSdk.builder().service(name)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serviceNamesAreOneToAHundredCharacters() {
    assertThatThrownBy(() -> MintaroSdk.builder().service(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> MintaroSdk.builder().service("a".repeat(100))).doesNotThrowAnyException();
    assertThatThrownBy(() -> MintaroSdk.builder().service("a".repeat(101))).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://collector:21", "not a url", "http://", "localhost:7070", "http:///path", "://x",
      "collector", "file:///etc/passwd", "http://exa mple.com"})
  void collectorsThatAreNotHttpUrlsWithAHostAreRejected(String url) {
    assertThatThrownBy(() -> MintaroSdk.builder().collector(url)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void httpAndHttpsCollectorsAreAcceptedAndBlankMeansNone() {
    // accepted without building: a built SDK would connect to it
    assertThatCode(() -> MintaroSdk.builder().collector("http://collector:7070")
        .collector(" HTTPS://collector.example.com/base ")).doesNotThrowAnyException();
    try (MintaroSdk sdk = MintaroSdk.builder().collector("http://collector:7070").collector("  ").build()) {
      assertThat(Core.of(sdk).settings().collector).isNull();
    }
    try (MintaroSdk sdk = MintaroSdk.builder().collector(null).build()) {
      assertThat(Core.of(sdk).settings().collector).isNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "has space", "tab\tkey", "ключ", "new\nline"})
  void apiKeysMustBePrintableAsciiWithoutSpaces(String key) {
    assertThatThrownBy(() -> MintaroSdk.builder().apiKey(key)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 65_535, (1 << 30) + 1, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void bufferSizesOutsideSixtyFourKibToOneGibAreRejected(int size) {
    assertThatThrownBy(() -> MintaroSdk.builder().bufferSize(size)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, (1 << 20) + 1, Integer.MAX_VALUE})
  void bodyLimitsOutsideZeroToOneMibAreRejected(int size) {
    assertThatThrownBy(() -> MintaroSdk.builder().maxBodySize(size)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBodyLimitMayBeAtMostAThirtySecondOfTheBufferAtBuildTime() {
    assertThatThrownBy(() -> MintaroSdk.builder().bufferSize(64 * 1024).build())
        .as("the default body limit does not fit a tiny ring").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MintaroSdk.builder().bufferSize(64 * 1024).maxBodySize(2049).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MintaroSdk.builder().bufferSize(100_000).maxBodySize(2049).build())
        .as("the buffer is rounded down to a power of two first").isInstanceOf(IllegalArgumentException.class);
    try (MintaroSdk sdk = MintaroSdk.builder().bufferSize(100_000).maxBodySize(2048).build()) {
      assertThat(Core.of(sdk).recorder().capacity()).isEqualTo(64 * 1024);
    }
    try (MintaroSdk sdk = MintaroSdk.builder().bufferSize(64 * 1024).maxBodySize(0).build()) {
      assertThat(Core.of(sdk).settings().maxBodySize).isZero();
    }
  }

  @Test
  void aServiceVersionIsTrimmedCutToSixtyFourCharactersAndBlankMeansNone() {
    assertThat(MintaroSdk.builder().settings().serviceVersion).as("the default").isNull();
    assertThat(MintaroSdk.builder().serviceVersion(" 1.4.2-rc.1+g3f2a9c0 ").settings().serviceVersion)
        .isEqualTo("1.4.2-rc.1+g3f2a9c0");
    assertThat(MintaroSdk.builder().serviceVersion("v".repeat(64) + "-and-more").settings().serviceVersion)
        .isEqualTo("v".repeat(64));
    assertThat(MintaroSdk.builder().serviceVersion("v".repeat(63) + "\uD83D\uDE80").settings().serviceVersion)
        .as("never half a character").isEqualTo("v".repeat(63));
    assertThat(MintaroSdk.builder().serviceVersion("1.0").serviceVersion("  ").settings().serviceVersion).isNull();
    assertThat(MintaroSdk.builder().serviceVersion("1.0").serviceVersion(null).settings().serviceVersion).isNull();
  }

  @Test
  void aServiceVersionWithControlCharactersIsRejected() {
    rejects(b -> b.serviceVersion("1.0\n2.0"));
    rejects(b -> b.serviceVersion("1.0\u0000"));
  }

  @Test
  void otherBadValuesAreRejected() {
    rejects(b -> b.redactHeaders("has space"));
    rejects(b -> b.redactHeaders(""));
    rejects(b -> b.redactHeaders((String) null));
    rejects(b -> b.redactFields("x\ny"));
    rejects(b -> b.slowThreshold(Duration.ofMillis(-1)));
    rejects(b -> b.slowThreshold((Duration) null));
    rejects(b -> b.slowThreshold("reports", Duration.ofSeconds(1)));
    rejects(b -> b.slowThreshold("/reports", Duration.ofSeconds(-1)));
    rejects(b -> b.slowThreshold("/reports", null));
    rejects(b -> b.slowPercentile(100));
    rejects(b -> b.slowPercentile(49.9));
    rejects(b -> b.slowPercentile(Double.NaN));
    rejects(b -> b.slowFloor(Duration.ofMillis(1).minusNanos(1)));
    rejects(b -> b.slowFloor(null));
    rejects(b -> b.triggerRateLimit(0, 1));
    rejects(b -> b.triggerRateLimit(-1, 1));
    rejects(b -> b.triggerRateLimit(Double.NaN, 1));
    rejects(b -> b.triggerRateLimit(1, 0));
    rejects(b -> b.reconnectMaxDelay(Duration.ofMillis(99)));
    rejects(b -> b.reconnectMaxDelay(null));
  }

  @Test
  void theSlowThresholdIsLearntOrFixedWhicheverWasSaidLast() {
    Settings auto = MintaroSdk.builder().slowThreshold(Duration.ofSeconds(1)).slowThresholdAuto().slowPercentile(95)
        .slowFloor(Duration.ofMillis(5)).settings();
    assertThat(auto.slowAuto).isTrue();
    assertThat(auto.slowPercentile).isEqualTo(95);
    assertThat(auto.slowFloorMicros).isEqualTo(5_000);

    Settings fixed = MintaroSdk.builder().slowThresholdAuto().slowThreshold(Duration.ofSeconds(1)).settings();
    assertThat(fixed.slowAuto).isFalse();
    assertThat(fixed.slowThresholdMicros).isEqualTo(1_000_000);
  }

  @Test
  void anInvalidPercentileIsRefusedWithItsRange() {
    assertThatThrownBy(() -> MintaroSdk.builder().slowPercentile(100)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowPercentile must be at least 50 and below 100 (99: the slowest 1% of each route's requests"
            + " trigger), got: 100.0");
  }

  @Test
  void statsCountWhatWasRecorded() {
    try (MintaroSdk sdk = TestSdks.local()) {
      long before = sdk.stats().bytesRecorded();
      TestSdks.root(sdk, "root").close();

      MintaroStats stats = sdk.stats();
      assertThat(stats.bytesRecorded()).isGreaterThan(before);
      assertThat(stats.triggersReported()).isZero();
      assertThat(stats.batchesSent()).isZero();
      assertThat(stats.connected()).isFalse();
      assertThat(stats.toString()).contains("bytesRecorded=" + stats.bytesRecorded());
    } finally {
      TestSdks.clearContext();
    }
  }

  private static void rejects(Consumer<MintaroSdk.Builder> setting) {
    assertThatThrownBy(() -> setting.accept(MintaroSdk.builder())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCollectorUrlMayCarryTheApiKeyAsItsUserPart() {
    Settings settings = MintaroSdk.builder().collector("http://s3cr3t-key@collector:7070/base").settings();
    assertThat(settings.collector).hasToString("http://collector:7070/base");
    assertThat(settings.apiKey).isEqualTo("s3cr3t-key");
  }

  @Test
  void anApiKeyGivenExplicitlyWinsOverTheOneInTheUrl() {
    Settings settings = MintaroSdk.builder().collector("http://from-url@collector:7070").apiKey("explicit")
        .settings();
    assertThat(settings.apiKey).isEqualTo("explicit");
    assertThat(MintaroSdk.builder().apiKey("explicit").collector("http://from-url@collector:7070").settings().apiKey)
        .isEqualTo("explicit");
  }

  @Test
  void aBadCollectorUrlIsReportedWithoutItsKey() {
    assertThatThrownBy(() -> MintaroSdk.builder().collector("ftp://s3cr3t@collector:21"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp://collector:21")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void theDefaultRingIs64MiBOrAnEighthOfASmallerHeap() {
    assertThat(MintaroSdk.defaultBufferSize(Long.MAX_VALUE)).as("no heap limit").isEqualTo(64 << 20);
    assertThat(MintaroSdk.defaultBufferSize(4L << 30)).isEqualTo(64 << 20);
    assertThat(MintaroSdk.defaultBufferSize(512L << 20)).isEqualTo(64 << 20);
    assertThat(MintaroSdk.defaultBufferSize(256L << 20)).isEqualTo(32 << 20);
    assertThat(MintaroSdk.defaultBufferSize(300L << 20)).as("a power of two below an eighth").isEqualTo(32 << 20);
    assertThat(MintaroSdk.defaultBufferSize(4L << 20)).as("never below 1 MiB").isEqualTo(1 << 20);
  }
}
