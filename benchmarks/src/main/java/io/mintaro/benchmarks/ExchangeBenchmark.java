package io.mintaro.benchmarks;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.ClientExchange;
import io.mintaro.http.HttpExchange;
import io.mintaro.http.ServerExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
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
 * Recording one HTTP exchange with 1 KiB JSON request and response bodies, as the servlet filter
 * (server side) and the HttpClient wrapper (client side) drive it: trace headers parsed or
 * produced, 6 request and 4 response headers, both bodies fed through {@code BodyCapture}, the
 * status, and {@code close()}, which writes the exchange record and ends the span. The bodies
 * name no secret field, so redaction only scans them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ExchangeBenchmark {

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Sdk {
    MintaroSdk sdk;
    final byte[] requestBody = json(1024, "req");
    final byte[] responseBody = json(1024, "resp");
    final Map<String, String> incoming = new HashMap<>();
    final URI uri = URI.create("http://payments:8083/charge?order=ord-20240611-0042");

    @Setup
    public void setup() {
      sdk = MintaroSdk.builder().service("bench").build();
      Mintaro.install(sdk);
      incoming.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
      incoming.put("host", "orders:8082");
      incoming.put("x-mintaro-caller", "1a2b3c4d5e6f7081");
    }

    @TearDown
    public void tearDown() {
      sdk.close();
    }
  }

  static byte[] json(int size, String kind) {
    StringBuilder sb = new StringBuilder("{\"kind\":\"").append(kind).append("\",\"items\":[");
    int i = 0;
    while (sb.length() < size - 40) {
      sb.append(i == 0 ? "" : ",").append("{\"sku\":\"sku-").append(1000 + i).append("\",\"qty\":").append(i % 5 + 1).append('}');
      i++;
    }
    sb.append("],\"note\":\"");
    while (sb.length() < size - 2) {
      sb.append('x');
    }
    sb.append("\"}");
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (b.length != size) {
      throw new IllegalStateException("body is " + b.length + " bytes");
    }
    return b;
  }

  @Benchmark
  public void server(Sdk s) {
    ServerExchange ex = ServerExchange.start(s.sdk, "POST", "http://orders:8082/orders?item=book",
        "/orders", s.incoming::get);
    ex.requestHeader("Host", "orders:8082");
    ex.requestHeader("Content-Type", "application/json");
    ex.requestHeader("Content-Length", "1024");
    ex.requestHeader("Accept", "application/json");
    ex.requestHeader("User-Agent", "Java-http-client/17.0.15");
    ex.requestHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    ex.requestBody().write(s.requestBody, 0, s.requestBody.length);
    ex.status(201);
    respond(ex, s);
  }

  @Benchmark
  public void client(Sdk s) {
    ClientExchange ex = ClientExchange.start(s.sdk, "POST", s.uri);
    ex.propagationHeaders(ex::requestHeader);
    ex.requestHeader("Content-Type", "application/json");
    ex.requestHeader("Accept", "application/json");
    ex.requestBody().write(s.requestBody, 0, s.requestBody.length);
    ex.status(200);
    respond(ex, s);
  }

  /** The same 1 KiB JSON answer on both sides. */
  private static void respond(HttpExchange ex, Sdk s) {
    ex.responseHeader("Content-Type", "application/json");
    ex.responseHeader("Content-Length", "1024");
    ex.responseHeader("Date", "Tue, 11 Jun 2024 10:00:00 GMT");
    ex.responseHeader("X-Mintaro-Callee", "0f1e2d3c4b5a6978");
    ex.responseBody().write(s.responseBody, 0, s.responseBody.length);
    ex.close();
  }
}
