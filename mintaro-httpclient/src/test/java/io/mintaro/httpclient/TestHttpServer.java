package io.mintaro.httpclient;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server (the JDK's) on an ephemeral loopback port, standing in for the service being
 * called. It keeps what it actually received, and answers:
 * <ul>
 *   <li>{@code /echo}: 200, {@code got: <request body>}, naming itself in {@code X-Mintaro-Callee};
 *   <li>{@code /binary}: 200, the 256 byte values, also naming itself;
 *   <li>{@code /fail}: 500, naming itself;
 *   <li>{@code /uninstrumented}: 200 without {@code X-Mintaro-Callee};
 *   <li>{@code /redirect-to-echo}: 307 to {@code /echo} (the client sends the body again);
 *   <li>{@code /hang}: nothing until the server closes.
 * </ul>
 */
final class TestHttpServer implements AutoCloseable {
  /** The agent id the server answers with in {@code X-Mintaro-Callee}. */
  static final String CALLEE_AGENT = "9c1d2e3f4a5b6c7d";

  /** One request as the server received it. */
  record Received(String method, String path, Headers headers, byte[] body) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  TestHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri(String path) {
    return URI.create("http://" + authority() + path);
  }

  String authority() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next request the server received. */
  Received received() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the server received no request");
    }
    return r;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body));
      switch (path) {
        case "/echo" -> answer(exchange, 200, true, "text/plain; charset=utf-8",
            concat("got: ".getBytes(StandardCharsets.UTF_8), body));
        case "/binary" -> answer(exchange, 200, true, "application/octet-stream", allByteValues());
        case "/latin1" -> answer(exchange, 200, true, "text/plain; charset=ISO-8859-1",
            "café crème".getBytes(StandardCharsets.ISO_8859_1));
        case "/fail" -> answer(exchange, 500, true, "application/json",
            "{\"error\":\"card declined\"}".getBytes(StandardCharsets.UTF_8));
        case "/redirect-to-echo" -> {
          exchange.getResponseHeaders().set("Location", "/echo");
          exchange.sendResponseHeaders(307, -1);
        }
        case "/uninstrumented" -> answer(exchange, 200, false, "text/plain", "plain".getBytes());
        case "/hang" -> closing.await(30, TimeUnit.SECONDS);
        default -> answer(exchange, 404, true, "text/plain", new byte[0]);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(HttpExchange exchange, int status, boolean named, String contentType, byte[] body)
      throws IOException {
    if (named) {
      exchange.getResponseHeaders().set("X-Mintaro-Callee", CALLEE_AGENT);
    }
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static byte[] allByteValues() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
