package io.mintaro.benchmarks;

import io.mintaro.internal.redaction.Redactor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The redaction scan that every recorded body goes through: a 1 KiB JSON body that names no
 * secret field, with the default field words (password, token, secret). It is the largest single
 * part of recording an exchange, so it gets its own, steadier, number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@State(Scope.Benchmark)
public class RedactorBenchmark {
  final Redactor redactor = new Redactor(List.of("authorization", "cookie"), List.of("password", "token", "secret"));
  final byte[] body = ExchangeBenchmark.json(1024, "resp");

  @Benchmark
  public byte[] scanJsonBody() {
    return redactor.body(body, body.length, "application/json");
  }
}
