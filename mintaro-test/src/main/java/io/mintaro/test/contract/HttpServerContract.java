package io.mintaro.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import io.mintaro.test.RecordedTrigger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The specification every HTTP server integration meets, after Brave's {@code ITHttpServer}: a
 * test class extends it and starts its framework's server with the integration installed, serving
 * the contract's {@link App} for every path. Requests come from the JDK's HTTP client, with no
 * Mintaro in it.
 *
 * <p>The app's routes: {@code /ok}; {@code /echo} (answers the request body with its content
 * type); {@code /status?code=N}; {@code /throw} (throws {@link IllegalStateException}
 * "boom"); {@code /slow?ms=N}; {@code /child} (does its work in a span of its own);
 * {@code /big?size=N}; {@code /outgoing} (answers with the trace headers a call made from the
 * handler would carry, one {@code name: value} per line).
 */
public abstract class HttpServerContract {
  /** The body capture limit the tests run with. */
  protected static final int BODY_LIMIT = 4096;
  private static final int LARGE = 100_000;

  /** Test mode, with a small body limit and a 300 ms slow threshold for {@code /slow}. */
  @RegisterExtension
  protected final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(BODY_LIMIT)
      .slowThreshold("/slow", Duration.ofMillis(300)));

  /** A request as the application sees it. */
  public interface AppRequest {
    String method();

    String path();

    /** The raw query string, or null. */
    String query();

    /** Every value of a header, in order; empty when absent. */
    List<String> headers(String name);

    /** The whole body. */
    byte[] body() throws IOException;
  }

  /** The response as the application writes it. */
  public interface AppResponse {
    void status(int code);

    void header(String name, String value);

    void write(byte[] body) throws IOException;
  }

  /** The application under test, framework-free; the subclass adapts it to its framework. */
  @FunctionalInterface
  public interface App {
    void handle(AppRequest request, AppResponse response) throws Exception;
  }

  /**
   * Starts the server under test on a loopback port, with the integration installed on the
   * global SDK ({@code Mintaro.sdk()}, which is this test's), serving {@code app} for every path.
   * An exception {@code app} throws must escape to the framework as it would from an application.
   *
   * @return the server's base URI, without a trailing slash
   */
  protected abstract URI startServer(App app) throws Exception;

  protected abstract void stopServer() throws Exception;

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicReference<Seen> seen = new AtomicReference<>();
  private URI base;

  /** What the app saw of the last request. */
  private record Seen(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {}

  @BeforeEach
  final void start() throws Exception {
    base = startServer(this::app);
  }

  @AfterEach
  final void stop() throws Exception {
    stopServer();
  }

  private void app(AppRequest request, AppResponse response) throws Exception {
    byte[] body = request.body();
    seen.set(new Seen(request.method(), request.path(), request.query(), Map.of(
        "traceparent", request.headers("traceparent"),
        "x-custom", request.headers("x-custom"),
        "x-multi", request.headers("x-multi"),
        "authorization", request.headers("authorization"),
        "cookie", request.headers("cookie")), body));
    String query = request.query() == null ? "" : request.query();
    switch (request.path()) {
      case "/echo" -> {
        List<String> type = request.headers("content-type");
        response.status(200);
        response.header("Content-Type", type.isEmpty() ? "application/octet-stream" : type.get(0));
        response.header("X-App", "echoed");
        response.write(body);
      }
      case "/status" -> {
        String code = query.replace("code=", "");
        response.status(Integer.parseInt(code));
        response.header("Content-Type", "text/plain");
        response.write(("status " + code).getBytes(StandardCharsets.UTF_8));
      }
      case "/throw" -> throw new IllegalStateException("boom");
      case "/slow" -> {
        Thread.sleep(Long.parseLong(query.replace("ms=", "")));
        response.status(200);
        response.write("late".getBytes(StandardCharsets.UTF_8));
      }
      case "/child" -> {
        try (Span span = Mintaro.startSpan("child-work")) {
          span.attribute("step", 1);
        }
        response.status(200);
        response.write("ok".getBytes(StandardCharsets.UTF_8));
      }
      case "/outgoing" -> {
        StringBuilder headers = new StringBuilder();
        io.mintaro.http.ClientExchange call = io.mintaro.http.ClientExchange.start(null, "GET",
            URI.create("http://peer.invalid/"));
        call.propagationHeaders((name, value) -> headers.append(name.toLowerCase(java.util.Locale.ROOT))
            .append(": ").append(value).append('\n'));
        call.close();
        response.status(200);
        response.header("Content-Type", "text/plain");
        response.write(headers.toString().getBytes(StandardCharsets.UTF_8));
      }
      case "/big" -> {
        response.status(200);
        response.header("Content-Type", "application/octet-stream");
        response.write(Backend.pattern(Integer.parseInt(query.replace("size=", ""))));
      }
      default -> {
        response.status(200);
        response.header("Content-Type", "text/plain");
        response.write("ok".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> post(String pathAndQuery, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The one trace, once its server span has ended and its exchange is written. */
  private RecordedTrace served() {
    return mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1 && serverSpanEnded(t));
  }

  private RecordedTrace served(String traceId) {
    return mintaro.awaitTrace(traceId, t -> t.inbound().size() == 1 && serverSpanEnded(t));
  }

  private static boolean serverSpanEnded(RecordedTrace t) {
    return t.spans().stream().anyMatch(s -> s.kind().equals("server") && !s.status().equals("started"));
  }

  private static RecordedSpan serverSpan(RecordedTrace trace) {
    List<RecordedSpan> servers = trace.spans().stream().filter(s -> s.kind().equals("server")).toList();
    assertThat(servers).as("server spans").hasSize(1);
    return servers.get(0);
  }

  @Test
  void continuesTheCallersW3cTrace() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<byte[]> response = get("/ok", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");

    RecordedTrace trace = served(traceId);
    RecordedSpan server = serverSpan(trace);
    assertThat(server.parentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(response.headers().firstValue("x-mintaro-callee")).hasValue(mintaro.sdk().agentId());
  }

  @Test
  void continuesTheMintaroTraceHeader() throws Exception {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    get("/ok", "X-Mintaro-Trace", traceId);

    assertThat(serverSpan(served(traceId)).kind()).isEqualTo("server");
  }

  @Test
  void startsANewTraceForARequestWithoutContext() throws Exception {
    get("/ok");

    RecordedTrace trace = served();
    assertThat(serverSpan(trace).parentSpanId()).isNull();
    assertThat(serverSpan(trace).name()).isEqualTo("GET /ok");
    assertThat(serverSpan(trace).status()).isEqualTo("succeeded");
  }

  @Test
  void recordsTheCallerThatNamedItself() throws Exception {
    get("/ok", "X-Mintaro-Caller", "9c1d2e3f4a5b6c7d");

    assertThat(served().breadcrumbs()).anySatisfy(b -> {
      assertThat(b.role()).isEqualTo("caller");
      assertThat(b.agentId()).isEqualTo("9c1d2e3f4a5b6c7d");
    });
  }

  @Test
  void theHandlerRunsInTheServerSpan() throws Exception {
    get("/child");

    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.inbound().size() == 1 && t.spans().size() == 2
        && serverSpanEnded(t));
    assertThat(trace.span("child-work").parentSpanId()).isEqualTo(serverSpan(trace).spanId());
  }

  @Test
  void recordsTheExchangeWithItsHeadersAndBodies() throws Exception {
    String body = "{\"item\":\"book\"}";
    post("/echo?lang=en", body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
        "X-Custom", "checkout");

    RecordedTrace trace = served();
    RecordedExchange exchange = trace.inbound().get(0);
    assertThat(exchange.spanId()).isEqualTo(serverSpan(trace).spanId());
    assertThat(exchange.method()).isEqualTo("POST");
    assertThat(exchange.url()).isEqualTo(base + "/echo?lang=en");
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.requestHeader("x-custom")).isEqualTo("checkout");
    assertThat(exchange.requestBody()).isEqualTo(body);
    assertThat(exchange.responseHeader("x-app")).isEqualTo("echoed");
    assertThat(exchange.responseBody()).isEqualTo(body);
    assertThat(exchange.responseBodySize()).isEqualTo(body.length());
  }

  @Test
  void passesSecretsToTheApplicationIntactButRecordsThemRedacted() throws Exception {
    String body = "{\"user\":\"ann\",\"password\":\"hunter2\"}";
    post("/echo?token=abc123", body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json",
        "Authorization", "Bearer s3cr3t", "Cookie", "session=deadbeef");

    RecordedExchange exchange = served().inbound().get(0);
    Seen app = seen.get();
    assertThat(app.headers().get("authorization")).containsExactly("Bearer s3cr3t");
    assertThat(app.headers().get("cookie")).containsExactly("session=deadbeef");
    assertThat(new String(app.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(exchange.requestHeader("authorization")).doesNotContain("s3cr3t");
    assertThat(exchange.requestHeader("cookie")).doesNotContain("deadbeef");
    assertThat(exchange.url()).doesNotContain("abc123");
    assertThat(exchange.requestBody()).contains("ann").doesNotContain("hunter2");
    assertThat(exchange.responseBody()).doesNotContain("hunter2");
  }

  @Test
  void aServerErrorFailsTheSpanAndTriggers() throws Exception {
    assertThat(get("/status?code=503").statusCode()).isEqualTo(503);

    RecordedTrace trace = served();
    assertThat(serverSpan(trace).status()).isEqualTo("failed");
    assertThat(trace.inbound().get(0).status()).isEqualTo(503);
    assertThat(mintaro.triggers()).extracting(RecordedTrigger::traceId, RecordedTrigger::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(trace.traceId(), "error"));
  }

  @Test
  void aClientErrorIsRecordedWithoutTriggering() throws Exception {
    assertThat(get("/status?code=404").statusCode()).isEqualTo(404);

    RecordedTrace trace = served();
    assertThat(serverSpan(trace).status()).isEqualTo("succeeded");
    assertThat(trace.inbound().get(0).status()).isEqualTo(404);
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void anExceptionFailsTheSpanWithItAndTriggers() throws Exception {
    assertThat(get("/throw").statusCode()).isEqualTo(500);

    RecordedTrace trace = served();
    RecordedSpan server = serverSpan(trace);
    assertThat(server.status()).isEqualTo("failed");
    assertThat(server.error().type()).isEqualTo(IllegalStateException.class.getName());
    assertThat(server.error().message()).isEqualTo("boom");
    assertThat(trace.inbound().get(0).status()).isEqualTo(500);
    assertThat(mintaro.triggers()).singleElement().satisfies(t -> {
      assertThat(t.traceId()).isEqualTo(trace.traceId());
      assertThat(t.kind()).isEqualTo("error");
      assertThat(t.reason()).contains(IllegalStateException.class.getName());
    });
  }

  @Test
  void aSlowRequestTriggers() throws Exception {
    get("/slow?ms=500");

    RecordedTrace trace = served();
    assertThat(mintaro.triggers()).extracting(RecordedTrigger::traceId, RecordedTrigger::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(trace.traceId(), "slow"));
  }

  @Test
  void aRequestWhoseCallerGaveUpIsStillRecordedWhenItEnds() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/slow?ms=800"))
        .timeout(Duration.ofMillis(200)).build();
    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(HttpTimeoutException.class);

    RecordedTrace trace = served();
    assertThat(serverSpan(trace).durationUs()).isGreaterThanOrEqualTo(800_000);
  }

  @Test
  void aRequestBodyLargerThanTheLimitReachesTheApplicationWhole() throws Exception {
    byte[] body = Backend.pattern(LARGE);
    HttpResponse<byte[]> response = post("/echo", body, "Content-Type", "application/octet-stream");

    assertThat(seen.get().body()).isEqualTo(body);
    assertThat(response.body()).isEqualTo(body);
    RecordedExchange exchange = served().inbound().get(0);
    assertThat(exchange.requestBodySize()).isEqualTo(LARGE);
    assertThat(exchange.requestBodyTruncated()).isTrue();
    assertThat(exchange.requestBodyBytes()).hasSize(BODY_LIMIT);
  }

  @Test
  void aResponseBodyLargerThanTheLimitIsSentWhole() throws Exception {
    HttpResponse<byte[]> response = get("/big?size=" + LARGE);

    assertThat(response.body()).isEqualTo(Backend.pattern(LARGE));
    RecordedExchange exchange = served().inbound().get(0);
    assertThat(exchange.responseBodySize()).isEqualTo(LARGE);
    assertThat(exchange.responseBodyTruncated()).isTrue();
    assertThat(exchange.responseBodyBytes()).isEqualTo(java.util.Arrays.copyOf(Backend.pattern(LARGE), BODY_LIMIT));
  }

  @Test
  void malformedTraceHeadersStartANewTraceAndTheRequestIsServed() throws Exception {
    String[] hostile = {
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero span id
        "zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case is invalid
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "x".repeat(6000),
    };
    for (String value : hostile) {
      assertThat(get("/ok", "traceparent", value, "X-Mintaro-Caller", "<script>", "X-Mintaro-Trace", "'; drop")
          .statusCode()).as(value).isEqualTo(200);
    }

    List<RecordedTrace> traces = mintaro.awaitTraces(all -> all.size() == hostile.length
        && all.stream().allMatch(t -> t.inbound().size() == 1));
    assertThat(traces).extracting(RecordedTrace::traceId).as("each request started a trace of its own")
        .doesNotHaveDuplicates()
        .doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736", "00000000000000000000000000000000");
    assertThat(traces).allSatisfy(t -> assertThat(serverSpan(t).parentSpanId()).isNull());
    assertThat(traces).allSatisfy(t -> assertThat(t.breadcrumbs()).isEmpty());
  }

  @Test
  void twoTraceparentHeadersRestartTheTrace() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/ok"))
        .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .build();
    assertThat(client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);

    RecordedTrace trace = served();
    assertThat(trace.traceId()).isNotIn("4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c");
    assertThat(serverSpan(trace).parentSpanId()).isNull();
  }

  @Test
  void severalTracestateHeadersAreCombinedInOrderBehindMintarosOwnMember() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/outgoing"))
        .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .header("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        .header("tracestate", "vendor@tenant=x")
        .build();
    String outgoing = new String(client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body(),
        StandardCharsets.UTF_8);

    assertThat(outgoing).contains("traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .contains("tracestate: mintaro=" + mintaro.sdk().agentId() + ",congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,vendor@tenant=x\n");
  }

  @Test
  void theApplicationSeesExactlyWhatTheClientSent() throws Exception {
    byte[] body = new byte[3000];
    new Random(7).nextBytes(body); // not UTF-8: nothing may decode and re-encode it
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/echo?a=1&b=%20x"))
        .method("PUT", HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/octet-stream")
        .header("traceparent", traceparent)
        .header("X-Custom", "keep me")
        .header("X-Multi", "one")
        .header("X-Multi", "two")
        .build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());

    Seen app = seen.get();
    assertThat(app.method()).isEqualTo("PUT");
    assertThat(app.path()).isEqualTo("/echo");
    assertThat(app.query()).isEqualTo("a=1&b=%20x");
    assertThat(app.headers().get("traceparent")).containsExactly(traceparent);
    assertThat(app.headers().get("x-custom")).containsExactly("keep me");
    assertThat(app.headers().get("x-multi")).containsExactly("one", "two");
    assertThat(app.body()).isEqualTo(body);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    assertThat(response.headers().firstValue("x-app")).hasValue("echoed");
    RecordedExchange exchange = served("4bf92f3577b34da6a3ce929d0e0e4736").inbound().get(0);
    assertThat(exchange.requestHeaders("x-multi")).containsExactly("one", "two");
    assertThat(exchange.requestBodyBytes()).isEqualTo(body);
  }
}
