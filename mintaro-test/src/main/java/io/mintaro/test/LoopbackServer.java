package io.mintaro.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on a loopback port, without Mintaro, answering as each test tells it: the
 * JDK's own server, for the tests of client integrations that need routes of their own beside
 * the client contract's. It notes every request as it arrived.
 */
public final class LoopbackServer implements AutoCloseable {
  /** One request as it arrived. */
  public record Seen(String method, String path, Map<String, String> headers, byte[] body) {
    /** The first value of a header, by case-insensitive name; null when absent. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Answers one request; its body has been read whole already. */
  public interface Handler {
    void handle(HttpExchange exchange, byte[] body) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  /** Starts on an ephemeral loopback port. */
  public LoopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.start();
  }

  /** Answers {@code path} with {@code handler}, after noting the request; its body is read whole first. */
  public LoopbackServer on(String path, Handler handler) {
    server.createContext(path, exchange -> {
      try (exchange) {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readAllBytes();
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
        handler.handle(exchange, body);
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    });
    return this;
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** {@code 127.0.0.1:PORT}, as a client's callee breadcrumb names it. */
  public String authority() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** The requests received so far, oldest first. */
  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** Sends {@code body} with {@code status} and a fixed length, and closes the response. */
  public static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Deterministic bytes of every value, so a body cut or shifted anywhere is noticed. */
  public static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + (i >>> 8));
    }
    return b;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
