package io.mintaro.benchmarks;

import io.mintaro.MintaroSdk;
import io.mintaro.internal.agent.LocalTraces;
import io.mintaro.opentelemetry.MintaroOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the OpenTelemetry bridge ({@code mintaro-opentelemetry}) adds to the OpenTelemetry SDK
 * 1.55.0 it is plugged into, against the same SDK without it, in the same run:
 *
 * <ul>
 *   <li>{@link #otelSpan}: {@code SdkTracerProvider}, {@code BatchSpanProcessor} into a no-op
 *       exporter, sampler always on; start a span, 5 attributes (2 strings, 2 longs, a boolean),
 *       end it. Every span is a new trace's root.
 *   <li>{@link #bridgedSpan}: the same provider plus {@code mintaro.spanProcessor()} and
 *       {@code mintaro.sampler(Sampler.alwaysOn())}.
 *   <li>{@link #bridgedSpanUnsampled}: the bridge around {@code Sampler.alwaysOff()}: Mintaro
 *       records every span, OpenTelemetry exports none ("keep everything locally, export nothing").
 *   <li>{@link #otelLog} / {@link #bridgedLog}: one INFO record with a body and 2 attributes,
 *       inside a current span, through {@code BatchLogRecordProcessor} into a no-op exporter, then
 *       with {@code mintaro.logRecordProcessor()} added.
 *   <li>{@link #otelLogUnbatched} / {@link #bridgedLogUnbatched}: the same record with no queue: a
 *       processor that does nothing, or only Mintaro's. Their difference is what the bridge adds
 *       to a record, without the batch processor's lock contention (see {@link OtelLogs}).
 * </ul>
 *
 * The Mintaro SDK is local (no collector). The batch processors' queues are 256 Ki entries (as
 * the async loggers' in {@link LogBenchmark}) and their own {@code dropped=true} counters are
 * read after every iteration: an iteration in which the BatchSpanProcessor dropped a span fails,
 * since its time would leave out the work it skipped; the log benchmarks print their drops.
 * Mintaro's 32 MiB ring overwrites, never fills.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OtelBridgeBenchmark {
  static final String NAME = "charge-card";
  static final int QUEUE = 256 * 1024;

  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> USER = AttributeKey.stringKey("user.id");
  static final AttributeKey<Long> ITEMS = AttributeKey.longKey("order.items");
  static final AttributeKey<Long> CENTS = AttributeKey.longKey("order.cents");
  static final AttributeKey<Boolean> CACHED = AttributeKey.booleanKey("cache.hit");

  static final String LOGGER = "io.mintaro.bench.OrderService";
  static final String BODY = "order ord-20240611-0042 charged";
  static final AttributeKey<String> ORDER = AttributeKey.stringKey("order.id");

  // --- spans --------------------------------------------------------------------------------------

  /** A tracer provider as a benchmark state builds it; the three span states differ only in that. */
  static final class Spans {
    final Drops drops = new Drops("processedSpans");
    final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(drops).build();
    final MintaroSdk mintaro;
    final SdkTracerProvider provider;
    final Tracer tracer;

    /** {@code bridged}: the bridge's processor added and {@code sampler} wrapped in the bridge's. */
    Spans(Sampler sampler, boolean bridged) {
      SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
          .addSpanProcessor(BatchSpanProcessor.builder(new OtelSetup.NoopExporter())
              .setMaxQueueSize(QUEUE)
              .setMeterProvider(meters)
              .build());
      if (bridged) {
        mintaro = MintaroSdk.builder().service("bench").build(); // no collector: records locally only
        MintaroOpenTelemetry bridge = MintaroOpenTelemetry.create(mintaro);
        builder.addSpanProcessor(bridge.spanProcessor()).setSampler(bridge.sampler(sampler));
      } else {
        mintaro = null;
        builder.setSampler(sampler);
      }
      provider = builder.build();
      tracer = provider.get("bench");
    }

    /** One span as the benchmark makes it; throws unless Mintaro recorded it (when bridged). */
    void check(boolean sampled) {
      Span span = span(this);
      String traceId = span.getSpanContext().getTraceId();
      if (span.getSpanContext().isSampled() != sampled) {
        throw new IllegalStateException("expected sampled=" + sampled + ": " + span.getSpanContext());
      }
      if (mintaro != null && !recorded(mintaro, traceId, "\"" + NAME + "\"")) {
        throw new IllegalStateException("the bridge did not record span " + traceId + ": "
            + LocalTraces.traceJson(mintaro, traceId));
      }
    }

    void close() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
      meters.shutdown().join(10, TimeUnit.SECONDS);
      if (mintaro != null) {
        mintaro.close();
      }
    }
  }

  /**
   * Whether the trace's JSON in {@code sdk} shows {@code text} within 5 s: the bridge may write on
   * a thread of its own, and its {@code forceFlush} does not wait for a span that thread holds.
   */
  static boolean recorded(MintaroSdk sdk, String traceId, String text) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!LocalTraces.traceJson(sdk, traceId).contains(text)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class OtelSpans {
    Spans spans;

    @Setup
    public void setup() {
      spans = new Spans(Sampler.alwaysOn(), false);
      spans.check(true);
    }

    @TearDown(Level.Iteration)
    public void nothingDropped() {
      spans.drops.check();
    }

    @TearDown
    public void tearDown() {
      spans.close();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class BridgedSpans {
    Spans spans;

    @Setup
    public void setup() {
      spans = new Spans(Sampler.alwaysOn(), true);
      spans.check(true);
    }

    @TearDown(Level.Iteration)
    public void nothingDropped() {
      spans.drops.check();
    }

    @TearDown
    public void tearDown() {
      spans.close();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class BridgedUnsampledSpans {
    Spans spans;

    @Setup
    public void setup() {
      spans = new Spans(Sampler.alwaysOff(), true);
      spans.check(false);
    }

    @TearDown
    public void tearDown() {
      spans.close();
    }
  }

  static Span span(Spans state) {
    Span span = state.tracer.spanBuilder(NAME).startSpan();
    span.setAttribute(ROUTE, "/orders/{id}/charge");
    span.setAttribute(USER, "u-1234567");
    span.setAttribute(ITEMS, 3L);
    span.setAttribute(CENTS, 4200L);
    span.setAttribute(CACHED, true);
    span.end();
    return span;
  }

  @Benchmark
  public Span otelSpan(OtelSpans state) {
    return span(state.spans);
  }

  @Benchmark
  public Span bridgedSpan(BridgedSpans state) {
    return span(state.spans);
  }

  @Benchmark
  public Span bridgedSpanUnsampled(BridgedUnsampledSpans state) {
    return span(state.spans);
  }

  // --- log records --------------------------------------------------------------------------------

  /**
   * A logger provider: with {@code BatchLogRecordProcessor} or, without it, a processor that does
   * nothing (a provider without processors hands out a no-op logger); and Mintaro's processor
   * after it when bridged.
   */
  static final class Logs {
    final Drops drops = new Drops("processedLogs");
    final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(drops).build();
    final MintaroSdk mintaro;
    final SdkLoggerProvider provider;
    final Logger logger;

    Logs(boolean batch, boolean bridged) {
      SdkLoggerProviderBuilder builder = SdkLoggerProvider.builder();
      if (batch) {
        builder.addLogRecordProcessor(BatchLogRecordProcessor.builder(new OtelSetup.NoopExporter())
            .setMaxQueueSize(QUEUE)
            .setMeterProvider(meters)
            .build());
      } else if (!bridged) {
        builder.addLogRecordProcessor(new NothingProcessor());
      }
      if (bridged) {
        mintaro = MintaroSdk.builder().service("bench").build();
        builder.addLogRecordProcessor(MintaroOpenTelemetry.create(mintaro).logRecordProcessor());
      } else {
        mintaro = null;
      }
      provider = builder.build();
      logger = provider.get(LOGGER);
    }

    /** One record in a span of a trace of its own; throws unless Mintaro recorded it (when bridged). */
    void check() {
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      Context context = Context.root().with(Span.wrap(SpanContext.create(traceId, "00f067aa0ba902b7",
          TraceFlags.getSampled(), TraceState.getDefault())));
      logger.logRecordBuilder().setContext(context).setSeverity(Severity.INFO).setSeverityText("INFO")
          .setBody(BODY).emit();
      if (mintaro != null && !recorded(mintaro, traceId, BODY)) {
        throw new IllegalStateException("the bridge did not record the log record: "
            + LocalTraces.traceJson(mintaro, traceId));
      }
    }

    void close() {
      provider.shutdown().join(10, TimeUnit.SECONDS);
      meters.shutdown().join(10, TimeUnit.SECONDS);
      if (mintaro != null) {
        mintaro.close();
      }
    }
  }

  /**
   * Keeps a reference to the last record and does nothing else: the SDK's own work per record,
   * without a queue. Doing nothing at all would let the JIT scalar-replace the record and its
   * attributes, which no real processor allows.
   */
  static final class NothingProcessor implements LogRecordProcessor {
    ReadWriteLogRecord last;

    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {
      last = logRecord;
    }
  }

  /**
   * The brief's baseline. OpenTelemetry 1.55's BatchLogRecordProcessor queues into an
   * {@code ArrayBlockingQueue} (one lock for the emitting thread and its worker, and a locked
   * {@code size()} per record); its worker does not keep up with one thread emitting flat out on
   * two cores, so these two report what it dropped after each iteration instead of failing.
   */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class OtelLogs {
    Logs logs;

    @Setup
    public void setup() {
      logs = new Logs(true, false);
      logs.check();
    }

    @TearDown(Level.Iteration)
    public void drops() {
      logs.drops.report();
    }

    @TearDown
    public void tearDown() {
      logs.close();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class BridgedLogs {
    Logs logs;

    @Setup
    public void setup() {
      logs = new Logs(true, true);
      logs.check();
    }

    @TearDown(Level.Iteration)
    public void drops() {
      logs.drops.report();
    }

    @TearDown
    public void tearDown() {
      logs.close();
    }
  }

  /** The SDK's record with nothing after it: the baseline of what the bridge adds, queue aside. */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class UnbatchedLogs {
    Logs logs;

    @Setup
    public void setup() {
      logs = new Logs(false, false);
      logs.check();
    }

    @TearDown
    public void tearDown() {
      logs.close();
    }
  }

  /** The SDK's record with only Mintaro's processor. */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class BridgedUnbatchedLogs {
    Logs logs;

    @Setup
    public void setup() {
      logs = new Logs(false, true);
      logs.check();
    }

    @TearDown
    public void tearDown() {
      logs.close();
    }
  }

  static void log(Logs state) {
    state.logger.logRecordBuilder()
        .setSeverity(Severity.INFO)
        .setSeverityText("INFO")
        .setBody(BODY)
        .setAttribute(ORDER, "ord-20240611-0042")
        .setAttribute(CENTS, 4200L)
        .emit();
  }

  /** The span is {@link Traces.InOtelTrace}'s, current on the measuring thread for the whole run. */
  @Benchmark
  public void otelLog(OtelLogs state, Traces.InOtelTrace trace) {
    log(state.logs);
  }

  @Benchmark
  public void bridgedLog(BridgedLogs state, Traces.InOtelTrace trace) {
    log(state.logs);
  }

  @Benchmark
  public void otelLogUnbatched(UnbatchedLogs state, Traces.InOtelTrace trace) {
    log(state.logs);
  }

  @Benchmark
  public void bridgedLogUnbatched(BridgedUnbatchedLogs state, Traces.InOtelTrace trace) {
    log(state.logs);
  }

  // --- the batch processors' drops ----------------------------------------------------------------

  /**
   * Reads a batch processor's own counter ({@code processedSpans} or {@code processedLogs}, with
   * {@code dropped=true} for what a full queue refused). The processor touches the counter on
   * the application's thread only when it drops.
   */
  static final class Drops implements MetricReader {
    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
    private final String metric;
    private volatile CollectionRegistration registration = CollectionRegistration.noop();
    private long seen;
    private long seenExported;

    Drops(String metric) {
      this.metric = metric;
    }

    long dropped() {
      return count(true);
    }

    /** The counter's sum for {@code dropped=true} (refused) or {@code dropped=false} (exported). */
    private long count(boolean dropped) {
      long total = 0;
      for (MetricData data : registration.collectAllMetrics()) {
        if (data.getName().equals(metric) && data.getType() == MetricDataType.LONG_SUM) {
          for (LongPointData point : data.getLongSumData().getPoints()) {
            if (Boolean.valueOf(dropped).equals(point.getAttributes().get(DROPPED))) {
              total += point.getValue();
            }
          }
        }
      }
      return total;
    }

    /** Prints what was dropped and exported since the last call, into JMH's iteration output. */
    void report() {
      long dropped = count(true);
      long exported = count(false);
      System.out.printf("(%s: %d dropped, %d exported in this iteration)%n", metric, dropped - seen,
          exported - seenExported);
      seen = dropped;
      seenExported = exported;
    }

    void check() {
      long dropped = dropped();
      if (dropped > seen) {
        throw new IllegalStateException("the batch processor dropped " + (dropped - seen)
            + " records in this iteration: its queue was full, the score would leave their work out");
      }
      seen = dropped;
    }

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
