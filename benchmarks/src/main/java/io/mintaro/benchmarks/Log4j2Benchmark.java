package io.mintaro.benchmarks;

import io.opentelemetry.instrumentation.log4j.appender.v2_17.OpenTelemetryAppender;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.NullAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The DEBUG line of {@link LogBenchmark} through synchronous Log4j2 loggers (the Log4j2 API, its
 * garbage-free path) into one appender: Mintaro's {@code MintaroAppender} in a current Mintaro
 * trace, OpenTelemetry's Log4j2 appender (into its BatchLogRecordProcessor) in a current
 * OpenTelemetry trace, and Log4j2's {@code NullAppender}, which does nothing with the event, as
 * the baseline. Each builds its own {@link LoggerContext} in code, as {@link LogBenchmark} builds
 * its Logback contexts, so no configuration file or plugin lookup is involved.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dlog4j2.isWebapp=false")
public class Log4j2Benchmark {

  /** A context whose root logger, at DEBUG, writes to {@code appender} alone. */
  static LoggerContext context(Appender appender) {
    LoggerContext ctx = new LoggerContext("bench-" + appender.getName());
    ctx.start(new OneAppender(ctx, appender));
    if (!appender.isStarted()) {
      throw new IllegalStateException(appender.getName() + " did not start");
    }
    return ctx;
  }

  static Logger logger(LoggerContext ctx) {
    Logger log = ctx.getLogger(LogBenchmark.LOGGER);
    if (!log.isDebugEnabled()) {
      throw new IllegalStateException("DEBUG is off");
    }
    return log;
  }

  private static final class OneAppender extends AbstractConfiguration {
    private final Appender appender;

    OneAppender(LoggerContext ctx, Appender appender) {
      super(ctx, ConfigurationSource.NULL_SOURCE);
      this.appender = appender;
    }

    @Override
    protected void doConfigure() {
      addAppender(appender);
      LoggerConfig root = getRootLogger();
      root.setLevel(Level.DEBUG);
      root.addAppender(appender, null, null);
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class NoAppender {
    LoggerContext ctx;
    Logger log;

    @Setup
    public void setup() {
      ctx = context(NullAppender.createAppender("NULL"));
      log = logger(ctx);
    }

    @TearDown
    public void tearDown() {
      ctx.stop();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class WithMintaro {
    LoggerContext ctx;
    Logger log;

    @Setup
    public void setup(SpanBenchmark.MintaroState sdk) {
      ctx = context(io.mintaro.log4j2.MintaroAppender.newBuilder().setName("MINTARO").build());
      log = logger(ctx);
    }

    @TearDown
    public void tearDown() {
      ctx.stop();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class WithOtel {
    LoggerContext ctx;
    Logger log;

    @Setup
    public void setup(Traces.OtelSdk sdk) {
      OpenTelemetryAppender appender = OpenTelemetryAppender.builder()
          .setName("OTEL")
          .setOpenTelemetry(sdk.otel)
          .build();
      ctx = context(appender);
      log = logger(ctx);
    }

    @TearDown
    public void tearDown() {
      ctx.stop();
    }
  }

  @Benchmark
  public void nullAppender(NoAppender state, LogBenchmark.Args args) {
    state.log.debug(LogBenchmark.MESSAGE, args.orderId, args.cents);
  }

  @Benchmark
  public void mintaro(WithMintaro state, Traces.InMintaroTrace trace, LogBenchmark.Args args) {
    state.log.debug(LogBenchmark.MESSAGE, args.orderId, args.cents);
  }

  @Benchmark
  public void otel(WithOtel state, Traces.InOtelTrace trace, LogBenchmark.Args args) {
    state.log.debug(LogBenchmark.MESSAGE, args.orderId, args.cents);
  }
}
