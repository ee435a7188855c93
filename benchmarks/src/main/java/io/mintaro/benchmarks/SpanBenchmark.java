package io.mintaro.benchmarks;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Starting and ending one span with 5 attributes (3 strings, a long, a boolean), made current for
 * its lifetime: Mintaro's {@code Mintaro.startSpan} against the OpenTelemetry SDK with a
 * BatchSpanProcessor and an exporter that does nothing. Each span is the root of a new trace.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class SpanBenchmark {

  static final String NAME = "charge-card";

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class MintaroState {
    MintaroSdk sdk;

    @Setup
    public void setup() {
      sdk = MintaroSdk.builder().service("bench").build(); // no collector: records locally only
      Mintaro.install(sdk);
    }

    @TearDown
    public void tearDown() {
      sdk.close();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class OtelState {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> USER = AttributeKey.stringKey("user.id");
    static final AttributeKey<Long> ITEMS = AttributeKey.longKey("order.items");
    static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("cache.hit");

    SdkTracerProvider provider;
    Tracer tracer;

    @Setup
    public void setup() {
      provider = SdkTracerProvider.builder()
          .addSpanProcessor(BatchSpanProcessor.builder(new OtelSetup.NoopExporter()).build())
          .build();
      tracer = provider.get("bench");
    }

    @TearDown
    public void tearDown() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Benchmark
  public void mintaro(MintaroState state) {
    try (Span span = Mintaro.startSpan(NAME)) {
      span.attribute("http.method", "POST");
      span.attribute("http.route", "/orders/{id}/charge");
      span.attribute("user.id", "u-1234567");
      span.attribute("order.items", 3L);
      span.attribute("cache.hit", true);
    }
  }

  @Benchmark
  public void otel(OtelState state) {
    io.opentelemetry.api.trace.Span span = state.tracer.spanBuilder(NAME).startSpan();
    try (Scope scope = span.makeCurrent()) {
      span.setAttribute(OtelState.METHOD, "POST");
      span.setAttribute(OtelState.ROUTE, "/orders/{id}/charge");
      span.setAttribute(OtelState.USER, "u-1234567");
      span.setAttribute(OtelState.ITEMS, 3L);
      span.setAttribute(OtelState.CACHED, true);
    } finally {
      span.end();
    }
  }
}
