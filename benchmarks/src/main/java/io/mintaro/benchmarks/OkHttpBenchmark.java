package io.mintaro.benchmarks;

import io.mintaro.okhttp.MintaroOkHttp;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One synchronous OkHttp 5 call, GET of a 256-byte JSON body from a loopback server in the same
 * JVM, body read to its end: a plain client, Mintaro's ({@code MintaroOkHttp.client}, recording
 * the exchange with both bodies) in a current Mintaro trace, and OpenTelemetry's HTTP client
 * instrumentation ({@link OtelHttpClients#okHttp}) in a current OpenTelemetry trace. The call is
 * mostly network and server; each integration's cost is its difference from the plain client in
 * the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class OkHttpBenchmark {

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Plain {
    OkHttpClient client;
    Request request;

    @Setup
    public void setup(LoopbackServer server) throws IOException {
      client = new OkHttpClient.Builder().build();
      request = new Request.Builder().url(server.url).build();
      server.check(call(client, request), false);
    }

    @TearDown
    public void tearDown() {
      close(client);
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class WithMintaro {
    OkHttpClient client;
    Request request;

    @Setup
    public void setup(LoopbackServer server, SpanBenchmark.MintaroState sdk) throws IOException {
      client = MintaroOkHttp.client(new OkHttpClient.Builder());
      request = new Request.Builder().url(server.url).build();
      server.check(call(client, request), true);
    }

    @TearDown
    public void tearDown() {
      close(client);
    }
  }

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class WithOtel {
    OkHttpClient client;
    Request request;

    @Setup
    public void setup(LoopbackServer server, Traces.OtelSdk sdk) throws IOException {
      client = OtelHttpClients.okHttp(sdk.otel, new OkHttpClient.Builder());
      request = new Request.Builder().url(server.url).build();
      server.check(call(client, request), true);
    }

    @TearDown
    public void tearDown() {
      close(client);
    }
  }

  static byte[] call(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.body().bytes();
    }
  }

  static void close(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Benchmark
  public byte[] plain(Plain state) throws IOException {
    return call(state.client, state.request);
  }

  @Benchmark
  public byte[] mintaro(WithMintaro state, Traces.InMintaroTrace trace) throws IOException {
    return call(state.client, state.request);
  }

  @Benchmark
  public byte[] otel(WithOtel state, Traces.InOtelTrace trace) throws IOException {
    return call(state.client, state.request);
  }
}
