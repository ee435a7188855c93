package io.mintaro.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.async.AsyncLogger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The same DEBUG line through Log4j2 with all loggers asynchronous (LMAX Disruptor), written to a
 * file by a File appender with the same pattern as the Logback file. The context selector is
 * JVM-wide, hence its own class and fork. The ring buffer holds 256 Ki events; once the writer
 * thread falls behind, the default queue-full policy makes the logging thread wait, so the
 * measured time includes that backpressure, as it would in a service that logs this much.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "-DLog4jContextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
    "-Dlog4j2.asyncLoggerRingBufferSize=262144",
    "-Dlog4j2.configurationFile=log4j2-bench.xml",
    "-Dlog4j2.isWebapp=false"})
public class Log4j2AsyncBenchmark {

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Log4j2AsyncFile {
    Path dir;
    Logger log;

    @Setup
    public void setup() throws IOException {
      dir = Files.createTempDirectory("mintaro-bench-log4j2");
      System.setProperty("mintaro.bench.logfile", dir.resolve("bench.log").toString());
      log = LogManager.getLogger(LogBenchmark.LOGGER);
      if (!(log instanceof AsyncLogger)) {
        throw new IllegalStateException("not an all-async logger: " + log.getClass());
      }
      if (!log.isDebugEnabled()) {
        throw new IllegalStateException("DEBUG is off: log4j2-bench.xml was not loaded");
      }
    }

    @TearDown
    public void tearDown() throws IOException {
      LogManager.shutdown();
      LogBenchmark.deleteTree(dir);
    }
  }

  @Benchmark
  public void log4j2AsyncFile(Log4j2AsyncFile state, LogBenchmark.Args args) {
    state.log.debug(LogBenchmark.MESSAGE, args.orderId, args.cents);
  }
}
