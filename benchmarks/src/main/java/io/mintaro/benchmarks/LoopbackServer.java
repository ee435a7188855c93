package io.mintaro.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The server every HTTP client benchmark calls: the JDK's HTTP server on a loopback port of the
 * benchmark's JVM, answering every request with the same small JSON body (256 bytes, the
 * exchange benchmark's generator) over kept-alive connections. Its dispatcher thread answers
 * each request itself: a handler pool would add a thread hand-off per call, which on a busy
 * 2-core machine costs more than the call.
 */
@State(Scope.Benchmark)
public class LoopbackServer {
  static final int BODY_SIZE = 256;
  static final String PATH = "/orders/ord-20240611-0042";

  final byte[] body = ExchangeBenchmark.json(BODY_SIZE, "resp");
  private HttpServer server;
  private volatile String lastTraceparent;
  String url;

  @Setup
  public void start() throws IOException {
    // Without TCP_NODELAY the body waits for the client's delayed ACK of the headers: 40 ms a call.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", exchange -> {
      lastTraceparent = exchange.getRequestHeaders().getFirst("traceparent");
      try (InputStream in = exchange.getRequestBody()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  @TearDown
  public void stop() {
    server.stop(0);
  }

  /**
   * Fails the setup unless a client read the whole body of its last call, and sent a trace
   * header exactly when it is instrumented: every side must really make the call it claims.
   */
  void check(byte[] received, boolean traced) {
    if (received.length != body.length) {
      throw new UncheckedIOException(new IOException("read " + received.length + " of " + body.length + " bytes"));
    }
    if ((lastTraceparent != null) != traced) {
      throw new IllegalStateException("traceparent: " + lastTraceparent);
    }
  }
}
