package io.mintaro.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.test.Header;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedBreadcrumb;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wrapped JDK client carries the trace to the service it calls (trace context and breadcrumb
 * in the request the server actually receives) and records the outbound exchange: bodies,
 * status, and who answered. It behaves the same through {@code send} and {@code sendAsync}.
 * {@link MintaroHttpClientContractTest} specifies what every client integration does through
 * {@code send}; this class covers the JDK client's body publishers and handlers, {@code sendAsync},
 * and the details the contract leaves open.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroHttpClientTest extends WrappedClientTest {

  MintaroHttpClientTest() throws Exception {
    super(MintaroExtension.withConfig(b -> b.maxBodySize(1024)));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void theCalledServerReceivesTheTraceTheClientSpanAndTheCaller(Call call) throws Exception {
    String traceId;
    String rootSpanId;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      rootSpanId = root.spanId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(Mintaro.traceId()).as("the caller's trace is still current").isEqualTo(traceId);
    }

    TestHttpServer.Received received = server.received();
    RecordedSpan clientSpan = mintaro.trace(traceId).span("GET /echo");
    assertThat(clientSpan.kind()).isEqualTo("client");
    assertThat(clientSpan.parentSpanId()).isEqualTo(rootSpanId);
    assertThat(clientSpan.status()).isEqualTo("succeeded");
    assertThat(received.header("traceparent")).isEqualTo("00-" + traceId + "-" + clientSpan.spanId() + "-03");
    assertThat(received.header("X-Mintaro-Trace")).isEqualTo(traceId);
    assertThat(received.header("X-Mintaro-Caller")).isEqualTo(mintaro.sdk().agentId());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void theCallersOwnHeadersAreSentUnchanged(Call call) throws Exception {
    try (Span root = Mintaro.startSpan("checkout")) {
      call.call(http, HttpRequest.newBuilder(server.uri("/echo"))
          .header("X-Request-Id", "r-1").header("Accept", "text/plain").header("X-Multi", "a").header("X-Multi", "b")
          .header("Authorization", "Bearer secret-token").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    TestHttpServer.Received received = server.received();
    assertThat(received.header("X-Request-Id")).isEqualTo("r-1");
    assertThat(received.header("Accept")).isEqualTo("text/plain");
    assertThat(received.headers().get("X-Multi")).containsExactly("a", "b");
    assertThat(received.header("Authorization")).as("only the record is redacted").isEqualTo("Bearer secret-token");
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void theExchangeIsRecordedWithAStringRequestBodyAndTheResponse(Call call) throws Exception {
    String traceId;
    HttpResponse<String> response;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      response = call.call(http, HttpRequest.newBuilder(server.uri("/echo?item=book&token=t-1"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer secret-token")
          .POST(HttpRequest.BodyPublishers.ofString("{\"item\":\"book\",\"password\":\"hunter2\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).as("the caller gets the real body")
        .isEqualTo("got: {\"item\":\"book\",\"password\":\"hunter2\"}");
    assertThat(new String(server.received().body(), StandardCharsets.UTF_8))
        .as("the server gets the real body").isEqualTo("{\"item\":\"book\",\"password\":\"hunter2\"}");

    RecordedTrace trace = mintaro.trace(traceId);
    RecordedExchange message = onlyMessage(trace);
    assertThat(message.direction()).isEqualTo("outbound");
    assertThat(message.method()).isEqualTo("POST");
    assertThat(message.url()).isEqualTo("http://" + server.authority() + "/echo?item=book&token=%5BREDACTED%5D");
    assertThat(message.status()).isEqualTo(200);
    assertThat(message.error()).isNull();
    assertThat(message.spanId()).isEqualTo(trace.span("POST /echo").spanId());
    assertThat(message.requestBody()).isEqualTo("{\"item\":\"book\",\"password\":\"[REDACTED]\"}");
    assertThat(message.requestBodyBase64()).as("kept as UTF-8 text").isFalse();
    assertThat(message.requestBodyTruncated()).isFalse();
    assertThat(message.responseBody()).isEqualTo("got: {\"item\":\"book\",\"password\":\"hunter2\"}");
    assertThat(message.responseBodyBase64()).isFalse();
    assertThat(message.responseBodySize()).isEqualTo(41);
    assertThat(message.responseBodyTruncated()).isFalse();
    assertThat(message.requestHeaders()).contains(
        new Header("content-type", "application/json"), new Header("authorization", "[REDACTED]"),
        new Header("x-mintaro-trace", traceId), new Header("x-mintaro-caller", mintaro.sdk().agentId()));
    assertThat(message.responseHeaders()).contains(
        new Header("x-mintaro-callee", TestHttpServer.CALLEE_AGENT),
        new Header("content-type", "text/plain; charset=utf-8"));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aByteArrayRequestBodyAndABinaryResponseAreRecordedAsBase64(Call call) throws Exception {
    byte[] request = {(byte) 0xca, (byte) 0xfe, 0, (byte) 0xba, (byte) 0xbe};
    String traceId;
    HttpResponse<byte[]> response;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      response = call.call(http, HttpRequest.newBuilder(server.uri("/binary"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    assertThat(response.body()).isEqualTo(TestHttpServer.allByteValues());
    assertThat(server.received().body()).isEqualTo(request);
    RecordedExchange message = onlyMessage(mintaro.trace(traceId));
    assertThat(message.requestBodyBase64()).isTrue();
    assertThat(message.requestBodySize()).isEqualTo(5);
    assertThat(message.responseBodyBase64()).isTrue();
    assertThat(message.responseBodySize()).isEqualTo(256);
    assertThat(message.requestBodyBytes()).isEqualTo(request);
    assertThat(message.responseBodyBytes()).isEqualTo(TestHttpServer.allByteValues());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aStringBodyIsRecordedInTheBytesOfTheCharsetItCameIn(Call call) throws Exception {
    String traceId;
    HttpResponse<String> response;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      response = call.call(http, HttpRequest.newBuilder(server.uri("/latin1")).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.body()).isEqualTo("café crème");
    RecordedExchange message = onlyMessage(mintaro.trace(traceId));
    assertThat(message.responseBodySize()).isEqualTo(10);
    assertThat(message.responseBodyBase64()).isTrue();
    assertThat(message.responseBodyBytes()).isEqualTo("café crème".getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void anyOtherBodyHandlerHasItsBodyRecordedAsItConsumesIt(Call call) throws Exception {
    String traceId;
    ByteArrayOutputStream consumed = new ByteArrayOutputStream();
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("abc"))
          .build(), HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(consumed::writeBytes)));
    }

    assertThat(consumed.toString(StandardCharsets.UTF_8)).isEqualTo("got: abc");
    RecordedExchange message = onlyMessage(mintaro.trace(traceId));
    assertThat(message.responseBody()).isEqualTo("got: abc");
    assertThat(message.responseBodySize()).isEqualTo(8);
  }

  @Test
  void recordingAStringResponseAddsNoHandOffToTheClientsExecutor() throws Exception {
    CountingExecutor plainTasks = new CountingExecutor();
    CountingExecutor wrappedTasks = new CountingExecutor();
    HttpClient plain = HttpClient.newBuilder().executor(plainTasks).build();
    HttpClient wrapped = MintaroHttpClient.wrap(HttpClient.newBuilder().executor(wrappedTasks).build(),
        mintaro.sdk());
    HttpRequest request = HttpRequest.newBuilder(server.uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("x"))
        .build();
    plain.send(request, HttpResponse.BodyHandlers.ofString()); // connections are set up outside the count
    wrapped.send(request, HttpResponse.BodyHandlers.ofString());
    plainTasks.count.set(0);
    wrappedTasks.count.set(0);

    for (int i = 0; i < CALLS; i++) {
      plain.send(request, HttpResponse.BodyHandlers.ofString());
      wrapped.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // Wrapping the body subscriber made the JDK complete every response on its executor: about
    // CALLS / 2 more tasks than the plain client here (~5 per call); capturing the finished body
    // instead adds none.
    assertThat(wrappedTasks.count.get()).isLessThanOrEqualTo(plainTasks.count.get() + CALLS / 10);
  }

  private static final int CALLS = 200;

  /** Runs tasks on a pool and counts them. */
  private static final class CountingExecutor implements Executor {
    final AtomicInteger count = new AtomicInteger();
    private final Executor pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });

    @Override
    public void execute(Runnable task) {
      count.incrementAndGet();
      pool.execute(task);
    }
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void bodiesAreCutAtMaxBodySizeAndKeepTheirFullSize(Call call) throws Exception {
    String body = "x".repeat(3000);
    String traceId;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).POST(HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
    }

    assertThat(server.received().body()).hasSize(3000);
    RecordedExchange message = onlyMessage(mintaro.trace(traceId));
    assertThat(message.requestBody()).isEqualTo("x".repeat(1024));
    assertThat(message.requestBodySize()).isEqualTo(3000);
    assertThat(message.requestBodyTruncated()).isTrue();
    assertThat(message.responseBody()).isEqualTo("got: " + "x".repeat(1019));
    assertThat(message.responseBodySize()).isEqualTo(3005);
    assertThat(message.responseBodyTruncated()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aRequestBodySentAgainOnARedirectIsRecordedOnce(Call call) throws Exception {
    HttpClient following = MintaroHttpClient.wrap(HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL).build(), mintaro.sdk());
    String traceId;
    HttpResponse<String> response;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      response = call.call(following, HttpRequest.newBuilder(server.uri("/redirect-to-echo"))
          .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.body()).isEqualTo("got: hello");
    assertThat(server.received().body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    assertThat(server.received().body()).as("sent again to /echo").asString(StandardCharsets.UTF_8)
        .isEqualTo("hello");
    RecordedExchange message = onlyMessage(mintaro.trace(traceId));
    assertThat(message.status()).isEqualTo(200);
    assertThat(message.requestBody()).isEqualTo("hello");
    assertThat(message.requestBodySize()).isEqualTo(5);
    assertThat(message.responseBody()).isEqualTo("got: hello");
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void theCalleeNamedInTheResponseBecomesABreadcrumbWithTheAuthorityCalled(Call call) throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());
    }

    RecordedTrace trace = mintaro.trace(traceId);
    assertThat(trace.breadcrumbs()).containsExactly(new RecordedBreadcrumb(trace.span("GET /echo").spanId(),
        "callee", TestHttpServer.CALLEE_AGENT, server.authority()));
  }

  @Test
  void anUninstrumentedCalleeLeavesABreadcrumbWithOnlyTheAuthority() throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      http.send(HttpRequest.newBuilder(server.uri("/uninstrumented")).build(), HttpResponse.BodyHandlers.ofString());
    }

    assertThat(mintaro.trace(traceId).breadcrumbs()).singleElement().satisfies(crumb -> {
      assertThat(crumb.role()).isEqualTo("callee");
      assertThat(crumb.agentId()).isNull();
      assertThat(crumb.authority()).isEqualTo(server.authority());
    });
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aCallOutsideAnySpanStartsANewTraceInTheGivenSdk(Call call) throws Exception {
    call.call(http, HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(Mintaro.traceId()).as("nothing stays current").isNull();
    TestHttpServer.Received received = server.received();
    String traceId = received.header("X-Mintaro-Trace");
    assertThat(traceId).matches("[0-9a-f]{32}");
    RecordedTrace trace = mintaro.trace(traceId);
    RecordedSpan clientSpan = trace.span("GET /echo");
    assertThat(clientSpan.kind()).isEqualTo("client");
    assertThat(clientSpan.parentSpanId()).isNull();
    assertThat(received.header("traceparent")).isEqualTo("00-" + traceId + "-" + clientSpan.spanId() + "-03");
    assertThat(trace.exchanges()).hasSize(1);
  }

  @Test
  void aCallOutsideAnySpanRecordsIntoTheGivenSdkNotTheGlobalOne() throws Exception {
    try (MintaroSdk given = MintaroSdk.builder().service("given").build()) {
      HttpClient wrapped = MintaroHttpClient.wrap(HttpClient.newHttpClient(), given);
      long before = given.stats().bytesRecorded();

      wrapped.send(HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(given.stats().bytesRecorded()).isGreaterThan(before);
      assertThat(mintaro.traces()).as("the global SDK (this test's) recorded nothing").isEmpty();
    }
  }

  @Test
  void eachCallOutsideAnySpanIsItsOwnTrace() throws Exception {
    http.send(HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());
    http.send(HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(server.received().header("X-Mintaro-Trace")).isNotEqualTo(server.received().header("X-Mintaro-Trace"));
  }

  @Test
  void wrappingAWrappedClientReturnsItUnchanged() {
    assertThat(MintaroHttpClient.wrap(http)).isSameAs(http);
    try (MintaroSdk other = MintaroSdk.builder().service("other").build()) {
      assertThat(MintaroHttpClient.wrap(http, other)).isSameAs(http);
    }
  }

  @Test
  void theWrapperReportsTheWrappedClientsSettings() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(1234))
        .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
    HttpClient wrapped = MintaroHttpClient.wrap(plain, mintaro.sdk());

    assertThat(wrapped.connectTimeout()).hasValue(Duration.ofMillis(1234));
    assertThat(wrapped.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
    assertThat(wrapped.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  private static RecordedExchange onlyMessage(RecordedTrace trace) {
    List<RecordedExchange> exchanges = trace.exchanges();
    assertThat(exchanges).hasSize(1);
    return exchanges.get(0);
  }
}
