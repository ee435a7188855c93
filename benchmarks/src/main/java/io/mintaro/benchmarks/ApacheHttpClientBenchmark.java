package io.mintaro.benchmarks;

import io.mintaro.apache.httpclient.MintaroHttpClient5;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Apache HttpClient 5 classic call, GET of a 256-byte JSON body from a loopback server in the
 * same JVM, through a response handler that reads the body (so the connection goes back to the
 * pool): a plain client, Mintaro's ({@code MintaroHttpClient5.classic}, recording the exchange
 * with both bodies) in a current Mintaro trace, and OpenTelemetry's HTTP client instrumentation
 * ({@link OtelHttpClients#apache}) in a current OpenTelemetry trace. Each integration's cost is
 * its difference from the plain client in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ApacheHttpClientBenchmark {

  /** One side's client, built from a default {@code HttpClientBuilder} (a pooling connection manager). */
  abstract static class Client {
    CloseableHttpClient client;
    String url;

    void open(LoopbackServer server, HttpClientBuilder builder, boolean traced) throws IOException {
      client = builder.build();
      url = server.url;
      server.check(call(this), traced);
    }

    @TearDown
    public void close() throws IOException {
      client.close();
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Plain extends Client {
    @Setup
    public void setup(LoopbackServer server) throws IOException {
      open(server, HttpClientBuilder.create(), false);
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class WithMintaro extends Client {
    @Setup
    public void setup(LoopbackServer server, SpanBenchmark.MintaroState sdk) throws IOException {
      open(server, MintaroHttpClient5.classic(HttpClientBuilder.create()), true);
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class WithOtel extends Client {
    @Setup
    public void setup(LoopbackServer server, Traces.OtelSdk sdk) throws IOException {
      open(server, OtelHttpClients.apache(sdk.otel), true);
    }
  }

  static byte[] call(Client state) throws IOException {
    return state.client.execute(new HttpGet(state.url), response -> EntityUtils.toByteArray(response.getEntity()));
  }

  @Benchmark
  public byte[] plain(Plain state) throws IOException {
    return call(state);
  }

  @Benchmark
  public byte[] mintaro(WithMintaro state, Traces.InMintaroTrace trace) throws IOException {
    return call(state);
  }

  @Benchmark
  public byte[] otel(WithOtel state, Traces.InOtelTrace trace) throws IOException {
    return call(state);
  }
}
