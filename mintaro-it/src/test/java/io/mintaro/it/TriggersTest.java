package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.collector.Collector;
import io.mintaro.collector.CollectorConfig;
import io.mintaro.servlet.MintaroFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Each trigger fires through the real filter and appender and brings its trace to the collector. */
class TriggersTest {
  private static final Logger LOG = LoggerFactory.getLogger("it.triggers");

  @TempDir
  static Path dir;
  static Collector collector;
  static MintaroSdk sdk;
  static MintaroSdk quietSdk;
  /** A ring far smaller than what one request's neighbours write while it runs. */
  static MintaroSdk tinySdk;
  static final int TINY_RING = 1024 * 1024;
  static Server server;
  static int port;
  static int quietPort;
  static int tinyPort;
  static final ExecutorService pool = Mintaro.wrap(Executors.newFixedThreadPool(2));
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    collector = Collector.start(CollectorConfig.builder().port(0).dbPath(dir.resolve("t.db"))
        .apiKey(Stack.API_KEY).pollTimeoutMs(5_000).answerTimeoutMs(2_000).build());
    String url = "http://127.0.0.1:" + collector.port();
    sdk = MintaroSdk.builder().service("shop").collector(url).apiKey(Stack.API_KEY)
        .slowThreshold(Duration.ofSeconds(5))
        .slowThreshold("GET /reports", Duration.ofMillis(200))
        .build();
    quietSdk = MintaroSdk.builder().service("quiet").collector(url).apiKey(Stack.API_KEY)
        .triggerOnServerError(false).triggerOnException(false).triggerOnErrorLog(false)
        .slowThreshold(Duration.ZERO)
        .build();
    tinySdk = MintaroSdk.builder().service("tiny").collector(url).apiKey(Stack.API_KEY)
        .bufferSize(TINY_RING).maxBodySize(16 * 1024).slowThreshold(Duration.ofMillis(300))
        .build();
    server = new Server();
    port = connector(server);
    quietPort = connector(server);
    connector(server);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(new RoutingFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Handlers()), "/*");
    server.setHandler(context);
    server.start();
    port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    quietPort = ((ServerConnector) server.getConnectors()[1]).getLocalPort();
    tinyPort = ((ServerConnector) server.getConnectors()[2]).getLocalPort();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!(sdk.stats().connected() && quietSdk.stats().connected() && tinySdk.stats().connected())
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static int connector(Server server) {
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    server.addConnector(c);
    return 0;
  }

  /** Two "processes" on one server: the connector decides which SDK records the request. */
  static final class RoutingFilter implements jakarta.servlet.Filter {
    private MintaroFilter loud;
    private MintaroFilter quiet;
    private MintaroFilter tiny;

    @Override
    public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse resp,
        jakarta.servlet.FilterChain chain) throws IOException, jakarta.servlet.ServletException {
      if (loud == null) {
        loud = new MintaroFilter(sdk);
        quiet = new MintaroFilter(quietSdk);
        tiny = new MintaroFilter(tinySdk);
      }
      int local = req.getLocalPort();
      (local == quietPort ? quiet : local == tinyPort ? tiny : loud).doFilter(req, resp, chain);
    }
  }

  static final class Handlers extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String path = req.getRequestURI();
      LOG.debug("handling {}", path);
      switch (path) {
        case "/boom":
          throw new IllegalArgumentException("no such widget");
        case "/server-error":
          resp.sendError(503);
          return;
        case "/error-log":
          LOG.error("inventory is negative", new IllegalStateException("stock=-1"));
          resp.getWriter().write("ok");
          return;
        case "/flood":
          String filler = "x".repeat(1000);
          for (int i = 0; i < 6000; i++) {
            LOG.debug("line {} {}", i, filler);
          }
          LOG.error("flood ended badly");
          resp.getWriter().write("ok");
          return;
        case "/long":
          LOG.debug("step 1 of the long request");
          sleep(900);
          try {
            for (int i = 0; i < 150; i++) { // other requests' records: 1.5 MB through a 1 MiB ring
              call(tinyPort, "/noise", 200);
            }
          } catch (Exception e) {
            throw new IOException(e);
          }
          LOG.debug("step 2: done after the noise");
          resp.getWriter().write("ok");
          return;
        case "/noise":
          String line = "n".repeat(1000);
          for (int i = 0; i < 10; i++) {
            LOG.debug("noise {} {}", i, line);
          }
          resp.getWriter().write("ok");
          return;
        case "/manual":
          Mintaro.trigger("refund issued twice");
          resp.getWriter().write("ok");
          return;
        case "/reports":
        case "/fast":
          sleep(path.equals("/reports") ? 400 : 10);
          resp.getWriter().write("ok");
          return;
        case "/worker":
          try (Span span = Mintaro.startSpan("compute-invoice")) {
            span.attribute("lines", 3);
            pool.submit(() -> LOG.debug("worker thread computing tax")).get();
            span.recordError(new java.util.concurrent.TimeoutException("tax service retry"));
          } catch (Exception e) {
            throw new IOException(e);
          }
          Mintaro.trigger("worker check");
          resp.getWriter().write("ok");
          return;
        default:
          resp.sendError(404);
      }
    }

    private static void sleep(long ms) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {server == null ? null : server::stop, sdk, quietSdk, tinySdk, collector}) {
      if (c != null) {
        c.close();
      }
    }
    pool.shutdown();
  }

  @Test
  void an_exception_escaping_the_handler_triggers_with_its_stack_trace() throws Exception {
    String traceId = call(port, "/boom", 500);
    JsonNode trace = await(traceId);
    assertThat(trace.path("status").asText()).isEqualTo("error");
    assertThat(trace.path("triggerReason").asText()).contains("IllegalArgumentException");
    JsonNode span = trace.path("spans").get(0);
    assertThat(span.path("status").asText()).isEqualTo("failed");
    assertThat(span.path("error").path("stack").asText()).contains("no such widget", "Handlers.doGet");
  }

  @Test
  void a_server_error_status_triggers() throws Exception {
    JsonNode trace = await(call(port, "/server-error", 503));
    assertThat(trace.path("triggerReason").asText()).contains("HTTP 503");
  }

  @Test
  void an_error_log_line_triggers_even_when_the_response_is_fine() throws Exception {
    JsonNode trace = await(call(port, "/error-log", 200));
    assertThat(trace.path("triggerReason").asText()).contains("inventory is negative");
    assertThat(trace.path("logs").toString()).contains("handling /error-log", "stock=-1");
  }

  @Test
  void a_trace_larger_than_a_batch_arrives_with_its_newest_records() throws Exception {
    JsonNode trace = await(call(port, "/flood", 200));
    JsonNode logs = trace.path("logs");
    // 6 MB of lines; a batch carries at most 4 MiB of records, the newest first
    assertThat(logs.size()).isBetween(2000, 5999);
    assertThat(logs.get(logs.size() - 1).path("message").asText()).isEqualTo("flood ended badly");
    assertThat(logs.get(logs.size() - 2).path("message").asText()).startsWith("line 5999 ");
  }

  @Test
  void a_manual_trigger_collects_the_trace() throws Exception {
    JsonNode trace = await(call(port, "/manual", 200));
    assertThat(trace.path("triggerKind").asText()).isEqualTo("manual");
    assertThat(trace.path("triggerReason").asText()).isEqualTo("refund issued twice");
  }

  @Test
  void a_route_override_makes_a_request_slow_below_the_default_threshold() throws Exception {
    String fast = call(port, "/fast", 200);
    JsonNode trace = await(call(port, "/reports", 200));
    assertThat(trace.path("status").asText()).isEqualTo("slow");
    assertThat(trace.path("triggerReason").asText()).contains("GET /reports", "threshold 200 ms");
    Thread.sleep(500);
    assertThat(stackApi("/api/traces/" + fast)).isNull();
  }

  @Test
  void a_slow_request_triggers_while_it_runs_so_its_first_records_survive_the_ring_lapping() throws Exception {
    long recordedBefore = tinySdk.stats().bytesRecorded();
    String traceId = call(tinyPort, "/long", 200);
    assertThat(tinySdk.stats().bytesRecorded() - recordedBefore).as("the ring lapped during the request")
        .isGreaterThan(TINY_RING + TINY_RING / 4L);

    JsonNode trace = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      trace = stackApi("/api/traces/" + traceId);
      if (trace != null && trace.path("logs").toString().contains("step 2: done after the noise")
          && trace.path("spans").toString().contains("\"succeeded\"")) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(trace).isNotNull();
    assertThat(trace.path("triggerReason").asText()).contains("GET /long still running after", "threshold 300 ms");
    assertThat(trace.path("logs").toString()).as("the first line, read while the request ran, and the last, late")
        .contains("step 1 of the long request", "step 2: done after the noise");
    assertThat(trace.path("logs").toString()).as("the other requests stay out of it").doesNotContain("noise 0");
  }

  @Test
  void own_spans_and_wrapped_executors_keep_work_on_other_threads_in_the_trace() throws Exception {
    JsonNode trace = await(call(port, "/worker", 200));
    JsonNode span = null;
    for (JsonNode s : trace.path("spans")) {
      if (s.path("name").asText().equals("compute-invoice")) {
        span = s;
      }
    }
    assertThat(span).isNotNull();
    assertThat(span.path("attributes").path("lines").asText()).isEqualTo("3");
    assertThat(span.path("handledErrors").get(0).path("type").asText()).isEqualTo("java.util.concurrent.TimeoutException");
    assertThat(span.path("status").asText()).isEqualTo("succeeded");
    JsonNode worker = null;
    for (JsonNode l : trace.path("logs")) {
      if (l.path("message").asText().equals("worker thread computing tax")) {
        worker = l;
      }
    }
    assertThat(worker).as("log line written on the pool thread").isNotNull();
    assertThat(worker.path("thread").asText()).startsWith("pool-");
  }

  @Test
  void triggers_that_are_switched_off_send_nothing() throws Exception {
    String boom = call(quietPort, "/boom", 500);
    String error = call(quietPort, "/server-error", 503);
    String log = call(quietPort, "/error-log", 200);
    Thread.sleep(1000);
    assertThat(stackApi("/api/traces/" + boom)).isNull();
    assertThat(stackApi("/api/traces/" + error)).isNull();
    assertThat(stackApi("/api/traces/" + log)).isNull();
    assertThat(quietSdk.stats().batchesSent()).isZero();
  }

  private static String call(int port, String path, int expectedStatus) throws Exception {
    String traceId = Stack.newTraceId();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(expectedStatus);
    assertThat(response.headers().firstValue("X-Mintaro-Callee")).isPresent();
    return traceId;
  }

  private static JsonNode await(String traceId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode t = stackApi("/api/traces/" + traceId);
      if (t != null && t.path("complete").asBoolean() && t.path("spans").size() > 0
          && !t.path("spans").get(0).path("status").asText().equals("started")) {
        return t;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("trace " + traceId + " did not arrive");
  }

  private static JsonNode stackApi(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
        .header("Authorization", "Bearer " + Stack.API_KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 404 ? null : Stack.JSON.readTree(r.body());
  }
}
