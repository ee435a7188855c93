package io.mintaro.loadtest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.httpclient.MintaroHttpClient;
import io.mintaro.logback.MintaroAppender;
import io.mintaro.servlet.MintaroFilter;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.LoggerFactory;

/**
 * The two benchmark services, {@code edge → backend}, in one of three configurations:
 *
 * <ul>
 *   <li>{@code none}: plain Jetty; the DEBUG lines go to a Logback logger at DEBUG whose only
 *       appender is a WARN-threshold console appender, so they are created and then discarded;
 *   <li>{@code mintaro}: MintaroFilter + MintaroAppender + MintaroHttpClient, configured from
 *       MINTARO_* environment variables;
 *   <li>{@code otel}: the OpenTelemetry SDK, server and client spans with W3C propagation, logs
 *       through the OpenTelemetry Logback appender, all exported over OTLP/HTTP.
 * </ul>
 *
 * <p>{@code GET /api/item} on the edge logs 5 DEBUG lines, calls the backend once and returns
 * exactly 1 KiB of JSON. The backend answers 500 to every 100th request it gets
 * ({@code --error-every}; the edge then answers 502), in every configuration. With
 * {@code delay-ms=N} in its query the edge waits N ms after the backend's answer: a slow request
 * whose first records are as old as that when it ends. In mintaro mode {@code GET /_stats}
 * answers the SDK's {@link io.mintaro.MintaroStats} as JSON.
 */
final class Services {
  static final org.slf4j.Logger LOG = LoggerFactory.getLogger("loadtest.edge");
  static final byte[] BODY = body(1024);

  private Services() {}

  static void run(Map<String, String> a) throws Exception {
    String role = LoadMain.require(a, "role");
    String mode = LoadMain.require(a, "mode");
    int port = Integer.parseInt(LoadMain.require(a, "port"));
    String service = LoadMain.get(a, "service", role);

    MintaroSdk mintaro = null;
    OtelSetup otel = null;
    Appender<ILoggingEvent> extra = null;
    switch (mode) {
      case "none":
        break;
      case "mintaro":
        mintaro = MintaroSdk.fromEnvironment();
        Mintaro.install(mintaro);
        extra = new MintaroAppender();
        break;
      case "otel":
        otel = OtelSetup.start(service, LoadMain.require(a, "otlp"), LoadMain.get(a, "compression", "none"),
            Integer.parseInt(LoadMain.get(a, "otel-queue", "65536")),
            Integer.parseInt(LoadMain.get(a, "otel-batch", "512")));
        extra = new OpenTelemetryAppender();
        break;
      default:
        throw new IllegalArgumentException("unknown mode " + mode);
    }
    configureLogback(extra, Level.DEBUG);
    if (otel != null) {
      OpenTelemetryAppender.install(otel.sdk);
    }

    Filter filter = mintaro != null ? new MintaroFilter(mintaro) : otel != null ? otel.serverFilter() : null;
    HttpServlet servlet;
    String path;
    if (role.equals("edge")) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2)).build();
      Outgoing outgoing;
      if (mintaro != null) {
        HttpClient wrapped = MintaroHttpClient.wrap(client, mintaro);
        outgoing = uri -> wrapped.send(request(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      } else if (otel != null) {
        outgoing = otel.clientCalls(client);
      } else {
        outgoing = uri -> client.send(request(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      }
      servlet = new EdgeServlet(URI.create(LoadMain.require(a, "backend")), outgoing);
      path = "/api/item";
    } else if (role.equals("backend")) {
      servlet = new BackendServlet(Integer.parseInt(LoadMain.get(a, "error-every", "100")));
      path = "/price";
    } else {
      throw new IllegalArgumentException("unknown role " + role);
    }

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    if (filter != null) {
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    context.addServlet(new ServletHolder(servlet), path);
    if (mintaro != null) {
      context.addServlet(new ServletHolder(new StatsServlet(mintaro)), "/_stats");
    }
    server.setHandler(context);
    server.start();
    MintaroSdk m = mintaro;
    OtelSetup o = otel;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop();
      } catch (Exception e) {
        // stopping anyway
      }
      if (m != null) {
        System.out.println("stats " + role + " " + m.stats());
        m.close();
      }
      if (o != null) {
        o.sdk.close();
      }
    }));
    System.out.println("ready " + role + " mode=" + mode + " port=" + connector.getLocalPort());
    server.join();
  }

  /** Same appender set-up in all modes: a WARN console appender, plus the instrumentation's appender. */
  static void configureLogback(Appender<ILoggingEvent> extra, Level rootLevel) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
    encoder.start();
    ThresholdFilter warn = new ThresholdFilter();
    warn.setLevel("WARN");
    warn.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setEncoder(encoder);
    console.addFilter(warn);
    console.start();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel);
    root.addAppender(console);
    if (extra != null) {
      extra.setContext(ctx);
      extra.start();
      root.addAppender(extra);
    }
    for (String quiet : new String[] {"org.eclipse.jetty", "io.opentelemetry", "okhttp3", "io.mintaro", "jdk", "sun"}) {
      ctx.getLogger(quiet).setLevel(Level.INFO);
    }
  }

  interface Outgoing {
    HttpResponse<byte[]> send(URI uri) throws IOException, InterruptedException;
  }

  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
  }

  static final class EdgeServlet extends HttpServlet {
    private final URI backend;
    private final Outgoing outgoing;
    private final AtomicLong requests = new AtomicLong();

    EdgeServlet(URI backend, Outgoing outgoing) {
      this.backend = backend;
      this.outgoing = outgoing;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      long n = requests.incrementAndGet();
      String item = req.getParameter("id") == null ? "42" : req.getParameter("id");
      LOG.debug("request {} received: {} {}", n, req.getMethod(), req.getRequestURI());
      LOG.debug("looking up price of item {} for request {}", item, n);
      long start = System.nanoTime();
      HttpResponse<byte[]> answer;
      try {
        answer = outgoing.send(URI.create(backend + "?item=" + item));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        resp.sendError(503);
        return;
      }
      LOG.debug("backend answered {} with {} bytes in {} us", answer.statusCode(), answer.body().length,
          (System.nanoTime() - start) / 1000);
      if (answer.statusCode() >= 500) {
        LOG.debug("backend failed for request {}, answering 502", n);
        byte[] error = ("{\"error\":\"backend failed\",\"status\":" + answer.statusCode() + "}")
            .getBytes(StandardCharsets.UTF_8);
        LOG.debug("request {} done with an error", n);
        write(resp, 502, error);
        return;
      }
      String delay = req.getParameter("delay-ms");
      if (delay != null) {
        try {
          Thread.sleep(Long.parseLong(delay));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      LOG.debug("building a response of {} bytes for item {}", BODY.length, item);
      LOG.debug("request {} done", n);
      write(resp, 200, BODY);
    }
  }

  static final class BackendServlet extends HttpServlet {
    private static final byte[] OK = "{\"item\":\"42\",\"price\":12.5,\"currency\":\"EUR\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FAIL = "{\"error\":\"price service unavailable\"}".getBytes(StandardCharsets.UTF_8);
    private final AtomicLong requests = new AtomicLong();
    private final int errorEvery;

    BackendServlet(int errorEvery) {
      this.errorEvery = errorEvery;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (errorEvery > 0 && requests.incrementAndGet() % errorEvery == 0) {
        write(resp, 500, FAIL);
      } else {
        write(resp, 200, OK);
      }
    }
  }

  /** The SDK's counters, for the load scripts: retention and triggers while the load runs. */
  static final class StatsServlet extends HttpServlet {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final MintaroSdk sdk;

    StatsServlet(MintaroSdk sdk) {
      this.sdk = sdk;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      io.mintaro.MintaroStats st = sdk.stats();
      Map<String, Object> stats = new java.util.LinkedHashMap<>();
      stats.put("bytesRecorded", st.bytesRecorded());
      stats.put("historyMillis", st.historyMillis());
      stats.put("oldestRecordAgeMillis", st.oldestRecordAgeMillis());
      stats.put("triggersReported", st.triggersReported());
      stats.put("triggersRateLimited", st.triggersRateLimited());
      stats.put("triggersGroupLimited", st.triggersGroupLimited());
      stats.put("triggersCounted", st.triggersCounted());
      stats.put("triggersDropped", st.triggersDropped());
      stats.put("batchesSent", st.batchesSent());
      stats.put("bytesSent", st.bytesSent());
      write(resp, 200, JSON.writeValueAsBytes(stats));
    }
  }

  static void write(HttpServletResponse resp, int status, byte[] body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /** A JSON document of exactly {@code size} bytes. */
  static byte[] body(int size) {
    StringBuilder sb = new StringBuilder("{\"id\":\"42\",\"name\":\"load test item\",\"price\":12.5,\"currency\":\"EUR\",\"tags\":[");
    int i = 0;
    while (sb.length() < size - 40) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append("\"tag-").append(i++).append('"');
    }
    sb.append("],\"description\":\"");
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
}
