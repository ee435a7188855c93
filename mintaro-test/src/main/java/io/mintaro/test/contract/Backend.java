package io.mintaro.test.contract;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mintaro.test.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The server a client contract calls: the JDK's own HTTP server on a loopback port, with no
 * Mintaro in it, so what it saw is what the client really sent.
 */
final class Backend implements AutoCloseable {
  /** A well-formed agent id the backend names itself with on {@code /callee}. */
  static final String CALLEE_AGENT_ID = "00f067aa0ba902b7";

  /** What one request looked like on the wire. */
  record Seen(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Seen> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

  Backend() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  String authority() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The requests received so far, oldest first. */
  List<Seen> seen() {
    return List.copyOf(seen);
  }

  Seen last() {
    if (seen.isEmpty()) {
      throw new AssertionError("the backend received no request");
    }
    return seen.get(seen.size() - 1);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      seen.add(new Seen(exchange.getRequestMethod(), path, query, headers, body));
      exchange.getResponseHeaders().add("X-Backend", "yes");
      switch (path) {
        case "/echo" -> {
          String type = exchange.getRequestHeaders().getFirst("Content-Type");
          exchange.getResponseHeaders().add("Content-Type", type == null ? "application/octet-stream" : type);
          respond(exchange, 200, body);
        }
        case "/status" -> respond(exchange, Integer.parseInt(param(query, "code", "200")),
            ("status " + param(query, "code", "200")).getBytes());
        case "/slow" -> {
          sleep(Long.parseLong(param(query, "ms", "2000")));
          respond(exchange, 200, "late".getBytes());
        }
        case "/big" -> {
          exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
          respond(exchange, 200, pattern(Integer.parseInt(param(query, "size", "100000"))));
        }
        case "/callee" -> {
          exchange.getResponseHeaders().add("X-Mintaro-Callee", CALLEE_AGENT_ID);
          respond(exchange, 200, "named".getBytes());
        }
        case "/hostile" -> {
          exchange.getResponseHeaders().add("X-Mintaro-Callee", "<script>alert(1)</script>");
          exchange.getResponseHeaders().add("X-Huge", "h".repeat(16 * 1024));
          exchange.getResponseHeaders().add("traceparent", "00-not-a-trace-id");
          respond(exchange, 200, "survived".getBytes());
        }
        default -> respond(exchange, 200, "ok".getBytes());
      }
    }
  }

  static byte[] pattern(int size) {
    return LoopbackServer.pattern(size);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    LoopbackServer.respond(exchange, status, body);
  }

  private static String param(String query, String name, String fallback) {
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith(name + "=")) {
          return pair.substring(name.length() + 1);
        }
      }
    }
    return fallback;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
