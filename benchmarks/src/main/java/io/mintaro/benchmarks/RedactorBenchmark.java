package io.mintaro.benchmarks;

import io.mintaro.internal.redaction.Redactor;
import java.util.List;
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
 * The redaction scan that every recorded body goes through: a 1 KiB JSON body that names no
 * secret field, with the default field words (Redactor.DEFAULT_FIELDS). It is the largest single
 * part of recording an exchange, so it gets its own, steadier, number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class RedactorBenchmark {
  /** {@code defaults}: today's words; {@code three-words}: password, token, secret, the defaults before issue 15. */
  @Param({"defaults", "three-words"})
  public String words;

  Redactor redactor;
  final byte[] body = ExchangeBenchmark.json(1024, "resp");

  @Setup
  public void setUp() {
    redactor = words.equals("defaults") ? new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_FIELDS)
        : new Redactor(Redactor.DEFAULT_HEADERS, List.of("password", "token", "secret"));
  }

  @Benchmark
  public byte[] scanJsonBody() {
    return redactor.body(body, body.length, "application/json");
  }
}
