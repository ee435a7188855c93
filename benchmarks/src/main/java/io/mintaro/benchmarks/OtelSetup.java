package io.mintaro.benchmarks;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** The OpenTelemetry side of every comparison: its SDK exporting to an exporter that does nothing. */
final class OtelSetup {
  private OtelSetup() {}

  /**
   * The SDK as a user would run it, exporting nowhere: BatchSpanProcessor and
   * BatchLogRecordProcessor with their default queues, the default sampler (parent-based, always
   * on), and the propagators autoconfiguration defaults to (W3C trace context and baggage).
   */
  static OpenTelemetrySdk sdk() {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new NoopExporter()).build())
            .build())
        .setLoggerProvider(SdkLoggerProvider.builder()
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(new NoopExporter()).build())
            .build())
        .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
        .build();
  }

  static void shutdown(OpenTelemetrySdk otel) {
    otel.getSdkLoggerProvider().shutdown().join(10, TimeUnit.SECONDS);
    otel.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
  }

  /**
   * Accepts every batch of spans or log records and does nothing with it. The raw
   * {@code Collection} lets one method implement both exporters' {@code export}.
   */
  @SuppressWarnings("rawtypes")
  static final class NoopExporter implements SpanExporter, LogRecordExporter {
    @Override
    public CompletableResultCode export(Collection batch) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public void close() {}
  }
}
