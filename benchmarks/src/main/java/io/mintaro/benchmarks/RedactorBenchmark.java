package io.mintaro.benchmarks;

import io.mintaro.internal.redaction.Redactor;
import io.mintaro.internal.redaction.ValuePatterns;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The redaction scans that every recorded body and log line goes through, with the default field
 * words (Redactor.DEFAULT_FIELDS) and the value patterns (JWTs, card numbers) on or off: a 1 KiB
 * JSON body that names no secret field, a 1 KiB text body of English and numbers (every {@code e}
 * and digit is a candidate the value scan must look at), and a typical log line, whose only cost
 * with the patterns off is nothing at all.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class RedactorBenchmark {
  /** {@code on}: the value patterns too, as shipped; {@code off}: the field words alone, as before issue 15's part 3. */
  @Param({"on", "off"})
  public String values;

  Redactor redactor;
  boolean scanValues;
  final byte[] json = ExchangeBenchmark.json(1024, "resp");
  final byte[] text = text(1024);
  final byte[] logLine = ("order 7f3a2c answered 200 in 17 ms for customer 1764763200000; retrying the"
      + " payment of 42.50 EUR at 2026-12-03T12:00:00Z").getBytes(StandardCharsets.UTF_8);

  @Setup
  public void setUp() {
    scanValues = values.equals("on");
    redactor = new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_FIELDS, scanValues);
  }

  static byte[] text(int size) {
    String line = "GET /orders/12345 answered 200 in 17 ms; the customer 1764763200000 entered the queue. ";
    StringBuilder b = new StringBuilder();
    while (b.length() < size) {
      b.append(line);
    }
    return b.substring(0, size).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] scanJsonBody() {
    return redactor.body(json, json.length, "application/json");
  }

  @Benchmark
  public byte[] scanTextBody() {
    return redactor.body(text, text.length, "text/plain");
  }

  /** What RecordBuffer.putText adds to recording a log line: the value scan over its bytes. */
  @Benchmark
  public long scanLogMessage() {
    return scanValues ? ValuePatterns.find(logLine, 0, logLine.length) : 0;
  }
}
