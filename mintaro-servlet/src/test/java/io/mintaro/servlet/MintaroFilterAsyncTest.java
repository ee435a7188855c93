package io.mintaro.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A request that uses {@code startAsync} is recorded when its async work completes. */
class MintaroFilterAsyncTest {
  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private final AtomicReference<String> traceOnContainerThreadAfterFilter = new AtomicReference<>("unset");
  private final AtomicReference<String> traceInAsyncDispatch = new AtomicReference<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private Server server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    // what the container's thread holds once the Mintaro filter has returned
    context.addFilter(new FilterHolder((req, resp, chain) -> {
      chain.doFilter(req, resp);
      if (req.getDispatcherType() == DispatcherType.REQUEST) {
        traceOnContainerThreadAfterFilter.set(Mintaro.traceId());
      }
    }), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new MintaroFilter()), "/*",
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    context.addServlet(new ServletHolder(new AsyncServlet()), "/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    worker.shutdownNow();
  }

  final class AsyncServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (req.getDispatcherType() == DispatcherType.ASYNC) {
        traceInAsyncDispatch.set(Mintaro.traceId());
        resp.setStatus(202);
        resp.getWriter().write("dispatched");
        return;
      }
      byte[] body = req.getInputStream().readAllBytes();
      AsyncContext async = req.startAsync();
      if (req.getRequestURI().equals("/dispatch")) {
        worker.execute(async::dispatch);
        return;
      }
      worker.execute(Mintaro.wrap(() -> {
        try {
          Thread.sleep(300);
          HttpServletResponse response = (HttpServletResponse) async.getResponse();
          response.setStatus(req.getRequestURI().equals("/fail") ? 503 : 200);
          response.setContentType("text/plain");
          response.getOutputStream().write(("done after 300 ms: " + new String(body, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        } finally {
          async.complete();
        }
      }));
    }
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theExchangeIsRecordedWhenTheAsyncWorkCompletesWithWhatItWrote() throws Exception {
    HttpResponse<String> response = post("/async", "hello");

    assertThat(response.body()).isEqualTo("done after 300 ms: hello");
    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1);
    RecordedExchange exchange = trace.inbound().get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.requestBody()).isEqualTo("hello");
    assertThat(exchange.responseBody()).isEqualTo("done after 300 ms: hello");
    RecordedSpan server = trace.span("POST /async");
    assertThat(server.status()).isEqualTo("succeeded");
    assertThat(server.durationUs()).isGreaterThanOrEqualTo(300_000);
  }

  @Test
  void theContainerThreadIsGivenBackItsContextWhenTheRequestGoesAsync() throws Exception {
    post("/async", "x");

    mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1);
    assertThat(traceOnContainerThreadAfterFilter.get()).isNull();
  }

  @Test
  void aFailedAsyncResponseTriggersWhenItCompletes() throws Exception {
    assertThat(post("/fail", "x").statusCode()).isEqualTo(503);

    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1);
    assertThat(trace.span("POST /fail").status()).isEqualTo("failed");
    assertThat(mintaro.triggers()).singleElement().satisfies(t -> assertThat(t.traceId()).isEqualTo(trace.traceId()));
  }

  @Test
  void anAsyncDispatchRunsInTheRequestsTrace() throws Exception {
    HttpResponse<String> response = post("/dispatch", "x");

    assertThat(response.statusCode()).isEqualTo(202);
    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1);
    assertThat(traceInAsyncDispatch.get()).isEqualTo(trace.traceId());
    assertThat(trace.inbound().get(0).status()).isEqualTo(202);
    assertThat(trace.inbound().get(0).responseBody()).isEqualTo("dispatched");
  }
}
