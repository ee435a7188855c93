package io.mintaro.servlet;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 (ee10) server on an ephemeral loopback port, serving the routes a test gives it
 * behind {@link MintaroFilter}, the way an application installs it.
 *
 * <p>In front of the Mintaro filter sits a probe standing in for the container: it sees what
 * leaves the Mintaro filter (an escaping exception, the worker thread's trace context afterwards).
 * Every {@link #send} waits until the probe has seen its request finish, so the exchange is in the
 * ring before the test reads it, even when the client had the whole response earlier.
 */
final class TestServer implements AutoCloseable {

  /** One route's handler. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpServletRequest request, HttpServletResponse response) throws Exception;
  }

  /** What the probe saw of one request after the Mintaro filter returned or threw. */
  record Completed(String path, String handlerTraceId, String traceIdAfterwards, Throwable escaped) {}

  private final Server server;
  private final ServerConnector connector;
  private final Map<String, Handler> routes;
  private final BlockingQueue<Completed> completed = new LinkedBlockingQueue<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private volatile String handlerTraceId;

  private TestServer(MintaroSdk sdk, Map<String, Handler> routes, boolean withMintaro) throws Exception {
    this.routes = new LinkedHashMap<>(routes);
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(new ContainerProbe()), "/*", EnumSet.of(DispatcherType.REQUEST));
    if (withMintaro) {
      context.addFilter(new FilterHolder(new MintaroFilter(sdk)), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(new RoutingServlet()), "/*");
    server.setHandler(context);
    server.start();
  }

  /** Serves {@code routes} (path → handler) behind a {@link MintaroFilter} recording into {@code sdk}. */
  static TestServer start(MintaroSdk sdk, Map<String, Handler> routes) throws Exception {
    return new TestServer(sdk, routes, true);
  }

  /** The same application without Mintaro, to compare what clients receive. */
  static TestServer startWithoutMintaro(Map<String, Handler> routes) throws Exception {
    return new TestServer(null, routes, false);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
  }

  String authority() {
    return "127.0.0.1:" + connector.getLocalPort();
  }

  /** GET with the given header name/value pairs: what the client got. */
  HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    return serve(pathAndQuery, headers).response();
  }

  /** GET with the given header name/value pairs: what the client got and what the container saw. */
  Served<String> serve(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the request and waits until the server has finished with it. */
  <T> Served<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Exception {
    HttpResponse<T> response = client.send(request, handler);
    Completed done = completed.poll(10, TimeUnit.SECONDS);
    if (done == null) {
      throw new AssertionError("the server never finished " + request);
    }
    return new Served<>(response, done);
  }

  /** What the client got, and what the container saw. */
  record Served<T>(HttpResponse<T> response, Completed completed) {
    /** The trace the handler ran in ({@code Mintaro.traceId()} inside it). */
    String traceId() {
      return completed.handlerTraceId();
    }
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /** Stands in for the container, outside the Mintaro filter. */
  private final class ContainerProbe implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      handlerTraceId = null;
      Throwable escaped = null;
      try {
        chain.doFilter(request, response);
      } catch (IOException | ServletException | RuntimeException | Error e) {
        escaped = e;
        throw e;
      } finally {
        completed.add(new Completed(((HttpServletRequest) request).getRequestURI(), handlerTraceId,
            Mintaro.traceId(), escaped));
      }
    }
  }

  private final class RoutingServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      handlerTraceId = Mintaro.traceId();
      Handler handler = Optional.ofNullable(routes.get(request.getRequestURI()))
          .orElse((req, resp) -> resp.sendError(404));
      try {
        handler.handle(request, response);
      } catch (IOException | ServletException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ServletException(e);
      }
    }
  }
}
