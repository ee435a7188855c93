package io.mintaro.benchmarks;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.logback.MintaroAppender;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;

/**
 * One DEBUG line with two parameters through SLF4J and Logback. Each alternative builds its own
 * Logback {@link LoggerContext} (not the static one), and JMH runs every benchmark method in its
 * own JVM, so their configurations never meet. Log4j2 is in {@link Log4j2AsyncBenchmark}, since
 * its context selector is JVM-wide.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class LogBenchmark {
  static final String LOGGER = "io.mintaro.bench.OrderService";
  static final String MESSAGE = "order {} charged {} cents";
  /** One pattern for every file-writing alternative. */
  static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n";
  static final int QUEUE = 256 * 1024;

  /** The two parameters, held in fields so that no boxing happens in the measured code. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Args {
    public String orderId = "ord-20240611-0042";
    public Integer cents = 4200;
  }

  /**
   * A fresh Logback context wired as SLF4J's provider would wire the static one; without an MDC
   * adapter, every event that reads the MDC (AsyncAppender, the OpenTelemetry appender) would
   * throw and catch a NullPointerException.
   */
  static LoggerContext newContext() {
    LoggerContext ctx = new LoggerContext();
    ctx.setMDCAdapter(new LogbackMDCAdapter());
    return ctx;
  }

  static LoggerContext context(Appender<ILoggingEvent> appender) {
    LoggerContext ctx = newContext();
    ctx.setName("bench");
    appender.setContext(ctx);
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.DEBUG);
    root.addAppender(appender);
    ctx.start();
    return ctx;
  }

  // --- Mintaro: Logback with only MintaroAppender, inside a span --------------------------------

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class MintaroLogback {
    MintaroSdk sdk;
    LoggerContext ctx;
    Logger log;

    @Setup
    public void setup() {
      sdk = MintaroSdk.builder().service("bench").build();
      Mintaro.install(sdk);
      MintaroAppender appender = new MintaroAppender();
      appender.setName("MINTARO");
      ctx = context(appender);
      log = ctx.getLogger(LOGGER);
    }

    @TearDown
    public void tearDown() {
      ctx.stop();
      sdk.close();
    }
  }

  /** The span that makes the measuring thread's lines belong to a trace, so they are kept. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class InMintaroSpan {
    Span span;

    @Setup
    public void setup(MintaroLogback unused) {
      span = Mintaro.startSpan("handle-request");
    }

    @TearDown
    public void tearDown() {
      span.close();
    }
  }

  @Benchmark
  public void mintaro(MintaroLogback state, InMintaroSpan span, Args args) {
    state.log.debug(MESSAGE, args.orderId, args.cents);
  }

  // --- Logback AsyncAppender to a FileAppender ----------------------------------------------------

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class LogbackAsyncFile {
    Path dir;
    LoggerContext ctx;
    Logger log;

    @Setup
    public void setup() throws IOException {
      dir = Files.createTempDirectory("mintaro-bench-logback");
      LoggerContext ctx0 = newContext();
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(ctx0);
      encoder.setPattern(PATTERN);
      encoder.start();
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setContext(ctx0);
      file.setName("FILE");
      file.setFile(dir.resolve("bench.log").toString());
      file.setAppend(false);
      file.setImmediateFlush(false); // flushed as its buffer fills, like Log4j2's async loggers
      file.setEncoder(encoder);
      file.start();
      AsyncAppender async = new AsyncAppender();
      async.setName("ASYNC");
      async.setQueueSize(QUEUE);
      async.setDiscardingThreshold(0); // keep DEBUG lines: never discard when the queue fills
      async.setNeverBlock(false);      // so a full queue blocks: backpressure is measured
      async.setContext(ctx0);
      async.addAppender(file);
      ctx = ctx0;
      async.start();
      ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAndStopAllAppenders();
      root.setLevel(Level.DEBUG);
      root.addAppender(async);
      ctx.start();
      log = ctx.getLogger(LOGGER);
    }

    @TearDown
    public void tearDown() throws IOException {
      ctx.stop();
      deleteTree(dir);
    }
  }

  @Benchmark
  public void logbackAsyncFile(LogbackAsyncFile state, Args args) {
    state.log.debug(MESSAGE, args.orderId, args.cents);
  }

  // --- OpenTelemetry Logback appender -------------------------------------------------------------

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class OtelLogback {
    OpenTelemetrySdk otel;
    LoggerContext ctx;
    Logger log;

    @Setup
    public void setup() {
      otel = OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().build())
          .setLoggerProvider(SdkLoggerProvider.builder()
              .addLogRecordProcessor(BatchLogRecordProcessor.builder(new OtelSetup.NoopExporter()).build())
              .build())
          .build();
      OpenTelemetryAppender appender = new OpenTelemetryAppender();
      appender.setName("OTEL");
      appender.setOpenTelemetry(otel);
      ctx = context(appender);
      log = ctx.getLogger(LOGGER);
    }

    @TearDown
    public void tearDown() {
      ctx.stop();
      otel.getSdkLoggerProvider().shutdown().join(10, TimeUnit.SECONDS);
      otel.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** An OpenTelemetry span current on the measuring thread, as the Mintaro line has one. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class InOtelSpan {
    io.opentelemetry.api.trace.Span span;
    Scope scope;

    @Setup
    public void setup(OtelLogback state) {
      Tracer tracer = state.otel.getTracer("bench");
      span = tracer.spanBuilder("handle-request").startSpan();
      scope = span.makeCurrent();
    }

    @TearDown
    public void tearDown() {
      scope.close();
      span.end();
    }
  }

  @Benchmark
  public void otelLogback(OtelLogback state, InOtelSpan span, Args args) {
    state.log.debug(MESSAGE, args.orderId, args.cents);
  }

  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
