package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export settings: read like the other settings, and refused at start-up naming the variable. */
class ExportConfigTest {
    @TempDir
    Path dir;

    @Test
    void everyExportVariableIsReadAndAPropertyOfTheSameNameWins() {
        Map<String, String> env = Map.of("MINTARO_EXPORT_ZIPKIN", "http://zipkin:9411",
                "MINTARO_EXPORT_ZIPKIN_FILTER", "status:error", "MINTARO_EXPORT_OTLP", "http://otel:4318/v1/traces",
                "MINTARO_EXPORT_MAX_ATTEMPTS", "5", "MINTARO_EXPORT_QUEUE_MAX", "1000",
                "MINTARO_EXPORT_BACKOFF_MS", "250", "MINTARO_EXPORT_TIMEOUT_MS", "2000");
        Map<String, String> props = Map.of("MINTARO_EXPORT_ZIPKIN", "http://other:9411",
                "MINTARO_EXPORT_STATSD", "statsd:8125");
        CollectorConfig config = CollectorConfig.fromSources(env, props::get, props.keySet());
        assertThat(config.exportSettings()).containsEntry("MINTARO_EXPORT_ZIPKIN", "http://other:9411")
                .containsEntry("MINTARO_EXPORT_ZIPKIN_FILTER", "status:error")
                .containsEntry("MINTARO_EXPORT_OTLP", "http://otel:4318/v1/traces")
                .containsEntry("MINTARO_EXPORT_STATSD", "statsd:8125");
        assertThat(config.exportMaxAttempts()).isEqualTo(5);
        assertThat(config.exportQueueMax()).isEqualTo(1000);
        assertThat(config.exportBackoffMs()).isEqualTo(250);
        assertThat(config.exportTimeoutMs()).isEqualTo(2000);
        // Values may be secrets (OTLP headers): toString shows names only.
        assertThat(CollectorConfig.fromSources(Map.of("MINTARO_EXPORT_OTLP_HEADERS", "x-honeycomb-team=s3cret"),
                n -> null, Set.of()).toString()).contains("MINTARO_EXPORT_OTLP_HEADERS").doesNotContain("s3cret");
    }

    @Test
    void aBadFilterIsRefusedNamingItsVariable() {
        assertThatThrownBy(() -> CollectorConfig.fromSources(Map.of("MINTARO_EXPORT_ZIPKIN_FILTER", "status:broken"),
                n -> null, Set.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MINTARO_EXPORT_ZIPKIN_FILTER: status must be error, slow or ok, got 'broken'");
        assertThatThrownBy(() -> CollectorConfig.fromSources(Map.of("MINTARO_EXPORT_OTLP_FILTER", "region:eu"),
                n -> null, Set.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MINTARO_EXPORT_OTLP_FILTER: unknown key 'region' (expected status or service)");
        assertThatThrownBy(() -> CollectorConfig.fromSources(Map.of("MINTARO_EXPORT_MAX_ATTEMPTS", "0"),
                n -> null, Set.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exportMaxAttempts");
    }

    @Test
    void aBadZipkinUrlStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_ZIPKIN", "zipkin:9411")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MINTARO_EXPORT_ZIPKIN must be an http(s) URL, got 'zipkin:9411'");
    }

    @Test
    void theFilterOfAConfiguredExporterIsShownInHealth() throws Exception {
        try (TestCollector c = TestCollector.start(dir, b -> b.exportSetting("MINTARO_EXPORT_ZIPKIN",
                "http://127.0.0.1:1").exportSetting("MINTARO_EXPORT_ZIPKIN_FILTER", "service:orders"))) {
            assertThat(c.getJson("/api/health").at("/export/zipkin/filter").asText()).isEqualTo("service:orders");
        }
    }
}
