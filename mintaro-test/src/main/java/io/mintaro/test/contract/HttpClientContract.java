package io.mintaro.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedBreadcrumb;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The specification every HTTP client integration meets, after Brave's {@code ITHttpClient}: a
 * test class extends it and says how to make a call with the client under test, wrapped by its
 * integration. The backend is a real server on a loopback port with no Mintaro in it, so it sees
 * exactly what went over the wire.
 *
 * <p>Calls are made inside a root span, except where a test says otherwise. Asynchronous clients
 * may record after the application has its answer; the tests wait for that. One response carries
 * a 16 KiB header: a client whose default header limit is lower (Apache HttpCore's is 8 KiB) must
 * be configured to accept it, with or without Mintaro.
 */
public abstract class HttpClientContract {
  /** The body capture limit the tests run with. */
  protected static final int BODY_LIMIT = 4096;
  private static final int LARGE = 100_000;

  /** Test mode, with a small body limit and one extra secret field, {@code card}. */
  @RegisterExtension
  protected final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(BODY_LIMIT)
      .redactFields("card"));

  private Backend backend;

  /** What the application got back: status, headers by lower-case name, and the whole body. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /**
   * Makes one call with the client under test and reads the whole response body, the way an
   * application would. Sends {@code body} when it is not null.
   *
   * @throws Exception whatever the client throws, unchanged
   */
  protected abstract Response send(String method, URI uri, Map<String, String> headers, byte[] body)
      throws Exception;

  /**
   * Makes a GET whose response takes longer than {@code timeout}, with the client's own timeout
   * set to {@code timeout}, so that the client gives up.
   *
   * @throws Exception the client's timeout exception, unchanged
   */
  protected abstract void sendWithTimeout(URI uri, Duration timeout) throws Exception;

  @BeforeEach
  final void startBackend() throws Exception {
    backend = new Backend();
  }

  @AfterEach
  final void stopBackend() {
    backend.close();
  }

  private RecordedTrace callInRoot(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
      Response[] response) throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      response[0] = send(method, backend.uri(pathAndQuery), headers, body);
    }
    return awaitExchange(traceId);
  }

  private RecordedTrace awaitExchange(String traceId) {
    return mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1
        && t.spans().stream().anyMatch(s -> s.kind().equals("client") && !s.status().equals("started")));
  }

  private static RecordedSpan clientSpan(RecordedTrace trace) {
    List<RecordedSpan> clients = trace.spans().stream().filter(s -> s.kind().equals("client")).toList();
    assertThat(clients).as("client spans").hasSize(1);
    return clients.get(0);
  }

  @Test
  void propagatesTheTraceAndTheCallerToTheServer() throws Exception {
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("GET", "/ok", Map.of(), null, response);

    RecordedSpan client = clientSpan(trace);
    assertThat(client.parentSpanId()).isEqualTo(trace.span("root").spanId());
    Backend.Seen seen = backend.last();
    assertThat(seen.header("traceparent")).isEqualTo("00-" + trace.traceId() + "-" + client.spanId() + "-03");
    assertThat(seen.header("x-mintaro-trace")).isEqualTo(trace.traceId());
    assertThat(seen.header("x-mintaro-caller")).isEqualTo(mintaro.sdk().agentId());
  }

  @Test
  void recordsTheExchangeWithItsHeadersAndBodiesOnTheClientSpan() throws Exception {
    byte[] body = "{\"item\":\"book\",\"qty\":2}".getBytes(StandardCharsets.UTF_8);
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("POST", "/echo?lang=en",
        Map.of("Content-Type", "application/json", "X-App", "checkout"), body, response);

    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.spanId()).isEqualTo(clientSpan(trace).spanId());
    assertThat(exchange.method()).isEqualTo("POST");
    assertThat(exchange.url()).isEqualTo(backend.uri("/echo?lang=en").toString());
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.requestHeader("x-app")).isEqualTo("checkout");
    assertThat(exchange.requestBody()).isEqualTo("{\"item\":\"book\",\"qty\":2}");
    assertThat(exchange.requestBodySize()).isEqualTo(body.length);
    assertThat(exchange.responseHeader("x-backend")).isEqualTo("yes");
    assertThat(exchange.responseBody()).isEqualTo("{\"item\":\"book\",\"qty\":2}");
    assertThat(exchange.responseBodySize()).isEqualTo(body.length);
    assertThat(exchange.error()).isNull();
    RecordedSpan client = clientSpan(trace);
    assertThat(client.status()).isEqualTo("succeeded");
    assertThat(client.attribute("http.status_code")).isEqualTo("200");
    assertThat(client.attribute("server.address")).isEqualTo(backend.authority());
  }

  @Test
  void sendsSecretsIntactButRecordsThemRedacted() throws Exception {
    String body = "{\"user\":\"ann\",\"password\":\"hunter2\",\"card\":\"4111111111111111\"}";
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("POST", "/echo?token=abc123",
        Map.of("Content-Type", "application/json", "Authorization", "Bearer s3cr3t"),
        body.getBytes(StandardCharsets.UTF_8), response);

    Backend.Seen seen = backend.last();
    assertThat(seen.header("authorization")).isEqualTo("Bearer s3cr3t");
    assertThat(new String(seen.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(seen.query()).isEqualTo("token=abc123");
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.requestHeader("authorization")).doesNotContain("s3cr3t");
    assertThat(exchange.url()).doesNotContain("abc123");
    assertThat(exchange.requestBody()).contains("ann").doesNotContain("hunter2").doesNotContain("4111111111111111");
    assertThat(exchange.responseBody()).doesNotContain("hunter2");
  }

  @Test
  void recordsTheCalleeThatNamedItself() throws Exception {
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("GET", "/callee", Map.of(), null, response);

    assertThat(trace.breadcrumbs()).extracting(RecordedBreadcrumb::role, RecordedBreadcrumb::agentId,
        RecordedBreadcrumb::authority).containsExactly(org.assertj.core.groups.Tuple.tuple("callee",
            Backend.CALLEE_AGENT_ID, backend.authority()));
  }

  @Test
  void aServerErrorFailsTheClientSpanWithoutTriggering() throws Exception {
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("GET", "/status?code=503", Map.of(), null, response);

    assertThat(response[0].status()).isEqualTo(503);
    assertThat(new String(response[0].body(), StandardCharsets.UTF_8)).isEqualTo("status 503");
    assertThat(trace.outbound().get(0).status()).isEqualTo(503);
    assertThat(clientSpan(trace).status()).isEqualTo("failed");
    assertThat(mintaro.triggers()).as("the server that failed triggers, not its caller").isEmpty();
  }

  @Test
  void aTimeoutReachesTheApplicationAndIsRecordedWithTheCalleeItWasWaitingFor() throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThatThrownBy(() -> sendWithTimeout(backend.uri("/slow?ms=3000"), Duration.ofMillis(300)))
          .isInstanceOf(Exception.class);
    }
    RecordedTrace trace = awaitExchange(traceId);

    assertThat(trace.outbound().get(0).error()).isNotBlank();
    assertThat(clientSpan(trace).status()).isEqualTo("failed");
    assertThat(trace.breadcrumbs()).as("the callee that never answered is still found by its address")
        .anySatisfy(b -> {
          assertThat(b.role()).isEqualTo("callee");
          assertThat(b.authority()).isEqualTo(backend.authority());
        });
  }

  @Test
  void aRefusedConnectionReachesTheApplicationAndIsRecorded() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThatThrownBy(() -> send("GET", URI.create("http://127.0.0.1:" + closedPort + "/"), Map.of(), null))
          .isInstanceOf(Exception.class);
    }
    RecordedTrace trace = awaitExchange(traceId);

    assertThat(trace.outbound().get(0).error()).isNotBlank();
    assertThat(clientSpan(trace).status()).isEqualTo("failed");
  }

  @Test
  void aResponseLargerThanTheLimitIsDeliveredWholeAndRecordedCut() throws Exception {
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("GET", "/big?size=" + LARGE, Map.of(), null, response);

    assertThat(response[0].body()).isEqualTo(Backend.pattern(LARGE));
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.responseBodySize()).isEqualTo(LARGE);
    assertThat(exchange.responseBodyTruncated()).isTrue();
    assertThat(exchange.responseBodyBytes()).hasSize(BODY_LIMIT)
        .isEqualTo(java.util.Arrays.copyOf(Backend.pattern(LARGE), BODY_LIMIT));
  }

  @Test
  void aRequestLargerThanTheLimitIsSentWholeAndRecordedCut() throws Exception {
    byte[] body = Backend.pattern(LARGE);
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("POST", "/echo", Map.of("Content-Type", "application/octet-stream"), body,
        response);

    assertThat(backend.last().body()).isEqualTo(body);
    assertThat(response[0].body()).isEqualTo(body);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.requestBodySize()).isEqualTo(LARGE);
    assertThat(exchange.requestBodyTruncated()).isTrue();
    assertThat(exchange.requestBodyBytes()).hasSize(BODY_LIMIT);
  }

  @Test
  void hostileResponseHeadersDoNotBreakTheCall() throws Exception {
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("GET", "/hostile", Map.of(), null, response);

    assertThat(response[0].status()).isEqualTo(200);
    assertThat(new String(response[0].body(), StandardCharsets.UTF_8)).isEqualTo("survived");
    assertThat(response[0].header("x-huge")).hasSize(16 * 1024);
    assertThat(trace.breadcrumbs()).allSatisfy(b -> assertThat(b.agentId()).isNull());
  }

  @Test
  void aCallOutsideAnyTraceStartsOneAndStillWorks() throws Exception {
    Response response = send("GET", backend.uri("/ok"), Map.of(), null);

    assertThat(response.status()).isEqualTo(200);
    String traceparent = backend.last().header("traceparent");
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-03"); // sampled, random ids
    RecordedTrace trace = awaitExchange(traceparent.substring(3, 35));
    assertThat(clientSpan(trace).parentSpanId()).isNull();
  }

  @Test
  void theApplicationGetsExactlyWhatTheServerSent() throws Exception {
    byte[] body = new byte[3000];
    new Random(42).nextBytes(body); // not UTF-8: nothing may decode and re-encode it
    Response[] response = new Response[1];
    RecordedTrace trace = callInRoot("PUT", "/echo?a=1&b=%20x", Map.of("Content-Type", "application/octet-stream",
        "X-Custom", "keep me"), body, response);

    assertThat(response[0].status()).isEqualTo(200);
    assertThat(response[0].body()).isEqualTo(body);
    assertThat(response[0].header("x-backend")).isEqualTo("yes");
    Backend.Seen seen = backend.last();
    assertThat(seen.method()).isEqualTo("PUT");
    assertThat(seen.query()).isEqualTo("a=1&b=%20x");
    assertThat(seen.header("x-custom")).isEqualTo("keep me");
    assertThat(seen.body()).isEqualTo(body);
    assertThat(trace.outbound().get(0).requestBodyBytes()).isEqualTo(body);
    assertThat(trace.outbound().get(0).responseBodyBytes()).isEqualTo(body);
  }
}
