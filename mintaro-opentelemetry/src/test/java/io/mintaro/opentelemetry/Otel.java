package io.mintaro.opentelemetry;

import io.mintaro.MintaroSdk;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An OpenTelemetry SDK set up as the bridge's README says, with an exporter the test can read. */
final class Otel implements AutoCloseable {
  final MintaroOpenTelemetry mintaro;
  final SdkTracerProvider tracerProvider;
  final SdkLoggerProvider loggerProvider;
  final ContextPropagators propagators;
  final List<SpanData> exported = new CopyOnWriteArrayList<>();

  Otel(MintaroSdk sdk, Sampler sampler) {
    mintaro = MintaroOpenTelemetry.create(sdk);
    SpanProcessor bridge = mintaro.spanProcessor();
    tracerProvider = SdkTracerProvider.builder()
        .addSpanProcessor(bridge)
        .addSpanProcessor(SimpleSpanProcessor.create(new ListExporter(exported)))
        .setSampler(mintaro.sampler(sampler))
        .build();
    loggerProvider = SdkLoggerProvider.builder().addLogRecordProcessor(mintaro.logRecordProcessor()).build();
    propagators = ContextPropagators.create(
        TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), mintaro.propagator()));
  }

  Tracer tracer() {
    return tracerProvider.get("test");
  }

  Logger logger(String name) {
    return loggerProvider.get(name);
  }

  @Override
  public void close() {
    tracerProvider.close();
    loggerProvider.close();
  }

  private record ListExporter(List<SpanData> spans) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
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
  }
}
