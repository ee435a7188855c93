package io.mintaro.internal.agent;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Just enough of the collector's side of the agent protocol (docs/protocol.md) on a loopback
 * port to see what an agent sends and when: it registers agents, holds polls for 300 ms and
 * answers them with no commands, acknowledges batches, and answers 404 to agents it does not know.
 * It can be stopped and started again on the same port (connections refused meanwhile; it then
 * knows no agent), and made to answer a status of its choice, as a load balancer with no replica
 * behind it answers 503.
 */
final class FakeCollector implements AutoCloseable {
  /** One request as received: path, body (decompressed), the status answered, and when. */
  record Received(String path, String body, int status, long atNanos) {}

  private static final Pattern AGENT_ID = Pattern.compile("\"agentId\"\\s*:\\s*\"([0-9a-f]{16})\"");

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final int port;
  /** The agents registered since the last (re)start; others get 404, as from a real collector. */
  private final Set<String> agents = ConcurrentHashMap.newKeySet();
  private HttpServer server;
  private ExecutorService executor;
  /** Status for every request; 0 answers normally. */
  private volatile int everything;
  /** Status for batches; 0 answers normally. */
  private volatile int batches;

  FakeCollector() throws IOException {
    start(0);
    port = server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops listening: connections are refused, and open polls are cut, as when the collector is killed. */
  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  /** Listens again on the same port, as a restarted collector, which knows no agent yet. */
  synchronized void restart() throws IOException {
    agents.clear();
    start(port);
  }

  /** Answers every request with {@code status} (0: normally again). */
  void answerEverything(int status) {
    everything = status;
  }

  /** Answers batches with {@code status} (0: normally again). */
  void answerBatches(int status) {
    batches = status;
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals("/agent/v1/" + path)).toList();
  }

  /** Bodies of the batches answered 200. */
  List<String> acknowledgedBatches() {
    return received("batches").stream().filter(r -> r.status() == 200).map(Received::body).toList();
  }

  private void start(int onPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-collector");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/agent/v1/", this::handle);
    server.start();
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
      int status = everything != 0 ? everything : path.equals("/agent/v1/batches") ? batches : 0;
      if (status != 0) {
        received.add(new Received(path, body, status, System.nanoTime()));
        respond(exchange, status, "{\"error\":\"unavailable\"}");
        return;
      }
      Matcher agent = AGENT_ID.matcher(body);
      String agentId = agent.find() ? agent.group(1) : "0000000000000001";
      if (!path.equals("/agent/v1/register") && !agents.contains(agentId)) {
        received.add(new Received(path, body, 404, System.nanoTime()));
        respond(exchange, 404, "{\"error\":\"unknown agent\"}");
        return;
      }
      switch (path) {
        case "/agent/v1/register" -> {
          agents.add(agentId);
          received.add(new Received(path, body, 200, System.nanoTime()));
          respond(exchange, 200, "{\"agentId\":\"" + agentId + "\",\"pollTimeoutMs\":300,\"lateWindowMs\":1000}");
        }
        case "/agent/v1/poll" -> {
          received.add(new Received(path, body, 200, System.nanoTime()));
          try {
            TimeUnit.MILLISECONDS.sleep(300);
          } catch (InterruptedException e) {
            return; // stopped
          }
          respond(exchange, 200, "{\"commands\":[]}");
        }
        case "/agent/v1/batches" -> {
          received.add(new Received(path, body, 200, System.nanoTime()));
          respond(exchange, 200, "{\"accepted\":1}");
        }
        default -> respond(exchange, 404, "{\"error\":\"no such endpoint\"}");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public synchronized void close() {
    stop();
  }
}
