package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.collector.store.Database;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

    @Test
    void defaultsFollowTheProtocol() {
        CollectorConfig c = CollectorConfig.builder().build();
        assertThat(c.port()).isEqualTo(7070);
        assertThat(c.host()).isNull();
        assertThat(c.database()).isEqualTo(Database.sqlite(Path.of("mintaro-data/mintaro.db")));
        assertThat(c.apiKeys()).isEmpty();
        assertThat(c.pollTimeoutMs()).isEqualTo(20_000);
        assertThat(c.lateWindowMs()).isEqualTo(30_000);
        assertThat(c.answerTimeoutMs()).isEqualTo(3_000);
        assertThat(c.maxBodyBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(c.countWindowMs()).isEqualTo(10_000);
    }

    @Test
    void buildRejectsInvalidValuesNamingTheSetting() {
        assertThatThrownBy(() -> CollectorConfig.builder().port(70_000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> CollectorConfig.builder().port(-1).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> CollectorConfig.builder().pollTimeoutMs(0).build()).hasMessageContaining("pollTimeoutMs");
        assertThatThrownBy(() -> CollectorConfig.builder().answerTimeoutMs(-5).build())
                .hasMessageContaining("answerTimeoutMs");
        assertThatThrownBy(() -> CollectorConfig.builder().lateWindowMs(-1).build()).hasMessageContaining("lateWindowMs");
        assertThatThrownBy(() -> CollectorConfig.builder().maxBodyBytes(10).build()).hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> CollectorConfig.builder().countWindowMs(-1).build()).hasMessageContaining("countWindowMs");
        assertThatThrownBy(() -> CollectorConfig.builder().countWindowMs(3_600_001).build())
                .hasMessageContaining("countWindowMs");
        assertThatThrownBy(() -> CollectorConfig.builder().apiKey("short").build()).hasMessageContaining("API key");
        assertThatThrownBy(() -> CollectorConfig.builder().apiKey("has a space in it").build())
                .hasMessageContaining("API key");
        assertThatThrownBy(() -> CollectorConfig.builder().dbPath(null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void readsEnvironmentVariablesAndSystemPropertiesWin() {
        Map<String, String> env = Map.of(
                "MINTARO_COLLECTOR_PORT", "8080",
                "MINTARO_DB", "/var/lib/mintaro/m.db",
                "MINTARO_API_KEYS", " key-one-123 , key-two-456 ,",
                "MINTARO_POLL_TIMEOUT_MS", "15000");
        Map<String, String> props = Map.of("MINTARO_COLLECTOR_PORT", "9090");
        CollectorConfig c = CollectorConfig.fromSources(env, props::get);
        assertThat(c.port()).isEqualTo(9090);
        assertThat(c.database()).isEqualTo(Database.sqlite(Path.of("/var/lib/mintaro/m.db")));
        assertThat(c.apiKeys()).containsExactly("key-one-123", "key-two-456");
        assertThat(c.pollTimeoutMs()).isEqualTo(15_000);
        assertThat(c.answerTimeoutMs()).isEqualTo(3_000);
    }

    @Test
    void theCountWindowIsReadFromTheEnvironment() {
        assertThat(CollectorConfig.fromSources(Map.of("MINTARO_COUNT_WINDOW_MS", "2500"), k -> null).countWindowMs())
                .isEqualTo(2_500);
        assertThat(CollectorConfig.fromSources(Map.of("MINTARO_COUNT_WINDOW_MS", "0"), k -> null).countWindowMs())
                .isZero();
        assertThatThrownBy(() -> CollectorConfig.fromSources(Map.of("MINTARO_COUNT_WINDOW_MS", "10s"), k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_COUNT_WINDOW_MS");
    }

    @Test
    void retentionDefaultsToSevenDaysAndTenGibibytesPerNamespaceAndIsReadFromTheEnvironment() {
        CollectorConfig defaults = CollectorConfig.builder().build();
        assertThat(defaults.retentionMaxAgeMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(defaults.retentionMaxBytes()).isEqualTo(10L << 30);
        assertThat(defaults.retentionIntervalMs()).isEqualTo(30_000);
        CollectorConfig set = CollectorConfig.fromSources(Map.of("MINTARO_RETENTION_MAX_AGE_MS", "86400000",
                "MINTARO_RETENTION_MAX_BYTES", "0", "MINTARO_RETENTION_INTERVAL_MS", "5000"), k -> null);
        assertThat(set.retentionMaxAgeMs()).isEqualTo(86_400_000);
        assertThat(set.retentionMaxBytes()).as("0: no limit").isZero();
        assertThat(set.retentionIntervalMs()).isEqualTo(5_000);
        assertThatThrownBy(() -> CollectorConfig.builder().retentionMaxAgeMs(1_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retentionMaxAgeMs");
        assertThatThrownBy(() -> CollectorConfig.builder().retentionMaxBytes(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retentionMaxBytes");
        assertThatThrownBy(() -> CollectorConfig.fromSources(Map.of("MINTARO_RETENTION_MAX_BYTES", "10GB"), k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_RETENTION_MAX_BYTES");
    }

    @Test
    void aMalformedNumberInTheEnvironmentIsReported() {
        assertThatThrownBy(() -> CollectorConfig.fromSources(Map.of("MINTARO_COLLECTOR_PORT", "http"), k -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_COLLECTOR_PORT");
    }

    @Test
    void toStringDoesNotRevealKeys() {
        assertThat(CollectorConfig.builder().apiKey("secret-key-123").build().toString())
                .doesNotContain("secret-key-123").contains("apiKeys=1");
        assertThat(CollectorConfig.builder().metricsKey("metrics-secret-9").build().toString())
                .doesNotContain("metrics-secret-9").contains("metricsKey=set");
    }

    @Test
    void metricsAreOpenUnlessAMetricsKeyIsSet() {
        assertThat(CollectorConfig.builder().build().metricsKey()).isNull();
        assertThat(CollectorConfig.fromSources(Map.of("MINTARO_METRICS_KEY", " scrape-key-123 "), k -> null).metricsKey())
                .isEqualTo("scrape-key-123");
        assertThat(CollectorConfig.fromSources(Map.of("MINTARO_METRICS_KEY", "env-key-1234"),
                Map.of("MINTARO_METRICS_KEY", "prop-key-1234")::get).metricsKey()).isEqualTo("prop-key-1234");
    }

    @Test
    void aMetricsKeyIsValidatedLikeTheApiKeys() {
        assertThatThrownBy(() -> CollectorConfig.builder().metricsKey("short").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MINTARO_METRICS_KEY");
        assertThatThrownBy(() -> CollectorConfig.builder().metricsKey("has a space in it").build())
                .hasMessageContaining("MINTARO_METRICS_KEY");
        assertThatThrownBy(() -> CollectorConfig.builder().metricsKey("has,a,comma").build())
                .hasMessageContaining("MINTARO_METRICS_KEY");
        assertThatThrownBy(() -> CollectorConfig.fromSources(Map.of("MINTARO_METRICS_KEY", "x".repeat(257)), k -> null))
                .hasMessageContaining("MINTARO_METRICS_KEY");
    }
}
