package io.mintaro.spring.boot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Just enough of the collector's side of the agent protocol (docs/protocol.md) to see what an
 * agent sends: it registers agents, answers polls with no commands, and acknowledges batches
 * after {@code batchDelayMs}.
 */
final class FakeCollector implements AutoCloseable {
  /** One request as received: path, the Authorization header, and the body, decompressed. */
  record Received(String path, String authorization, String body) {}

  private static final Pattern AGENT_ID = Pattern.compile("\"agentId\"\\s*:\\s*\"([0-9a-f]{16})\"");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> acknowledged = new CopyOnWriteArrayList<>();
  private volatile long batchDelayMs;

  FakeCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/agent/v1/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void batchDelayMs(long ms) {
    batchDelayMs = ms;
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Bodies of the batches answered 200 so far. */
  List<String> acknowledgedBatches() {
    return List.copyOf(acknowledged);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw;
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readAllBytes();
      }
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
      }
      String body = new String(raw, StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getPath();
      received.add(new Received(path, exchange.getRequestHeaders().getFirst("Authorization"), body));
      Matcher agent = AGENT_ID.matcher(body);
      String agentId = agent.find() ? agent.group(1) : "0000000000000001";
      switch (path) {
        case "/agent/v1/register" -> respond(exchange,
            "{\"agentId\":\"" + agentId + "\",\"pollTimeoutMs\":500,\"lateWindowMs\":1000}");
        case "/agent/v1/poll" -> {
          sleep(500);
          respond(exchange, "{\"commands\":[]}");
        }
        case "/agent/v1/batches" -> {
          sleep(batchDelayMs);
          respond(exchange, "{}");
          acknowledged.add(body);
        }
        default -> respond(exchange, "{}");
      }
    }
  }

  private static void respond(HttpExchange exchange, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
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
