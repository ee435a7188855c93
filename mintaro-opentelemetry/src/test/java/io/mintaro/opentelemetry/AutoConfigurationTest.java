package io.mintaro.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.MintaroExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With SDK autoconfiguration (as in the Java agent) the bridge installs itself from the service file. */
class AutoConfigurationTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  @Test
  void theAutoconfiguredSdkRecordsIntoMintaroAndPropagatesTheBreadcrumb() {
    OpenTelemetrySdk sdk = autoconfigured(Map.of());
    try {
      OpenTelemetry otel = sdk;
      Span span = otel.getTracer("t").spanBuilder("autoconfigured").startSpan();
      Map<String, String> headers = new HashMap<>();
      try (Scope ignored = span.makeCurrent()) {
        otel.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
      }
      span.end();
      sdk.getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(mintaro.onlyTrace().span("autoconfigured").spanId()).isEqualTo(span.getSpanContext().getSpanId());
      assertThat(headers).containsEntry("X-Mintaro-Caller", mintaro.sdk().agentId()).containsKey("traceparent");
      assertThat(headers.get("tracestate")).startsWith("mintaro=" + mintaro.sdk().agentId());
    } finally {
      sdk.close();
    }
  }

  @Test
  void theConfiguredSamplerStillDecidesExportButMintaroRecordsEverySpan() {
    OpenTelemetrySdk sdk = autoconfigured(Map.of("otel.traces.sampler", "always_off"));
    try {
      Span span = sdk.getTracer("t").spanBuilder("dropped by the sampler").startSpan();
      span.end();
      sdk.getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(span.getSpanContext().isSampled()).isFalse();
      assertThat(mintaro.onlyTrace().span("dropped by the sampler").status()).isEqualTo("succeeded");
    } finally {
      sdk.close();
    }
  }

  @Test
  void itCanBeTurnedOff() {
    OpenTelemetrySdk sdk = autoconfigured(Map.of("mintaro.otel.enabled", "false"));
    try {
      sdk.getTracer("t").spanBuilder("not bridged").startSpan().end();
      sdk.getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(mintaro.traces()).isEmpty();
    } finally {
      sdk.close();
    }
  }

  @Test
  void serviceNamesAreMadeValidForMintaro() {
    assertThat(MintaroAutoConfiguration.serviceName(" checkout service/v2 ")).isEqualTo("checkout-service-v2");
    assertThat(MintaroAutoConfiguration.serviceName("x".repeat(300))).hasSize(100);
  }

  private static OpenTelemetrySdk autoconfigured(Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(Map.of("otel.traces.exporter", "none",
        "otel.metrics.exporter", "none", "otel.logs.exporter", "none", "otel.service.name", "shop"));
    properties.putAll(extra);
    return AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> properties)
        .disableShutdownHook().build().getOpenTelemetrySdk();
  }
}
