package io.mintaro.httpclient;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wrapped JDK client carries the trace to the service it calls (trace context and breadcrumb
 * in the request the server actually receives) and records the outbound exchange: bodies,
 * status, and who answered. It behaves the same through {@code send} and {@code sendAsync}.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroHttpClientTest extends WrappedClientTest {

  MintaroHttpClientTest() throws Exception {
    super(MintaroSdk.builder().service("orders").maxBodySize(1024).build());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void theCalledServerReceivesTheTraceTheClientSpanAndTheCaller(Call call) throws Exception {
    String traceId;
    String rootSpanId;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      rootSpanId = root.spanId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(Mintaro.traceId()).as("the caller's trace is still current").isEqualTo(traceId);
    }

    TestHttpServer.Received received = server.received();
    Map<String, Object> clientSpan = span(RingDump.trace(sdk, traceId), "GET /echo");
    assertThat(clientSpan).containsEntry("kind", "client").containsEntry("parentSpanId", rootSpanId)
        .containsEntry("status", "succeeded");
    assertThat(received.header("traceparent")).isEqualTo("00-" + traceId + "-" + clientSpan.get("spanId") + "-01");
    assertThat(received.header("X-Mintaro-Trace")).isEqualTo(traceId);
    assertThat(received.header("X-Mintaro-Caller")).isEqualTo(sdk.agentId());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void theCallersOwnHeadersAreSentUnchanged(Call call) throws Exception {
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
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
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
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

    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    Map<String, Object> message = onlyMessage(trace);
    assertThat(message).containsEntry("direction", "outbound").containsEntry("method", "POST")
        .containsEntry("url", "http://" + server.authority() + "/echo?item=book&token=%5BREDACTED%5D")
        .containsEntry("status", 200L).containsEntry("error", null)
        .containsEntry("spanId", span(trace, "POST /echo").get("spanId"))
        .containsEntry("requestBody", "{\"item\":\"book\",\"password\":\"[REDACTED]\"}")
        .containsEntry("requestBodyEncoding", "utf8").containsEntry("requestBodyTruncated", false)
        .containsEntry("responseBody", "got: {\"item\":\"book\",\"password\":\"hunter2\"}")
        .containsEntry("responseBodyEncoding", "utf8").containsEntry("responseBodySize", 41L)
        .containsEntry("responseBodyTruncated", false);
    assertThat(headers(message, "requestHeaders")).contains(
        List.of("content-type", "application/json"), List.of("authorization", "[REDACTED]"),
        List.of("x-mintaro-trace", traceId), List.of("x-mintaro-caller", sdk.agentId()));
    assertThat(headers(message, "responseHeaders")).contains(
        List.of("x-mintaro-callee", TestHttpServer.CALLEE_AGENT),
        List.of("content-type", "text/plain; charset=utf-8"));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aByteArrayRequestBodyAndABinaryResponseAreRecordedAsBase64(Call call) throws Exception {
    byte[] request = {(byte) 0xca, (byte) 0xfe, 0, (byte) 0xba, (byte) 0xbe};
    String traceId;
    HttpResponse<byte[]> response;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      response = call.call(http, HttpRequest.newBuilder(server.uri("/binary"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    assertThat(response.body()).isEqualTo(TestHttpServer.allByteValues());
    assertThat(server.received().body()).isEqualTo(request);
    Map<String, Object> message = onlyMessage(RingDump.trace(sdk, traceId));
    assertThat(message).containsEntry("requestBodyEncoding", "base64").containsEntry("requestBodySize", 5L)
        .containsEntry("responseBodyEncoding", "base64").containsEntry("responseBodySize", 256L);
    assertThat(Base64.getDecoder().decode((String) message.get("requestBody"))).isEqualTo(request);
    assertThat(Base64.getDecoder().decode((String) message.get("responseBody")))
        .isEqualTo(TestHttpServer.allByteValues());
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aStringBodyIsRecordedInTheBytesOfTheCharsetItCameIn(Call call) throws Exception {
    String traceId;
    HttpResponse<String> response;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      response = call.call(http, HttpRequest.newBuilder(server.uri("/latin1")).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.body()).isEqualTo("café crème");
    Map<String, Object> message = onlyMessage(RingDump.trace(sdk, traceId));
    assertThat(message).containsEntry("responseBodySize", 10L).containsEntry("responseBodyEncoding", "base64");
    assertThat(Base64.getDecoder().decode((String) message.get("responseBody")))
        .isEqualTo("café crème".getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void anyOtherBodyHandlerHasItsBodyRecordedAsItConsumesIt(Call call) throws Exception {
    String traceId;
    ByteArrayOutputStream consumed = new ByteArrayOutputStream();
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).POST(HttpRequest.BodyPublishers.ofString("abc"))
          .build(), HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(consumed::writeBytes)));
    }

    assertThat(consumed.toString(StandardCharsets.UTF_8)).isEqualTo("got: abc");
    assertThat(onlyMessage(RingDump.trace(sdk, traceId))).containsEntry("responseBody", "got: abc")
        .containsEntry("responseBodySize", 8L);
  }

  @Test
  void recordingAStringResponseAddsNoHandOffToTheClientsExecutor() throws Exception {
    CountingExecutor plainTasks = new CountingExecutor();
    CountingExecutor wrappedTasks = new CountingExecutor();
    HttpClient plain = HttpClient.newBuilder().executor(plainTasks).build();
    HttpClient wrapped = MintaroHttpClient.wrap(HttpClient.newBuilder().executor(wrappedTasks).build(), sdk);
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
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).POST(HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
    }

    assertThat(server.received().body()).hasSize(3000);
    assertThat(onlyMessage(RingDump.trace(sdk, traceId)))
        .containsEntry("requestBody", "x".repeat(1024)).containsEntry("requestBodySize", 3000L)
        .containsEntry("requestBodyTruncated", true)
        .containsEntry("responseBody", "got: " + "x".repeat(1019)).containsEntry("responseBodySize", 3005L)
        .containsEntry("responseBodyTruncated", true);
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aRequestBodySentAgainOnARedirectIsRecordedOnce(Call call) throws Exception {
    HttpClient following = MintaroHttpClient.wrap(HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL).build(), sdk);
    String traceId;
    HttpResponse<String> response;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      response = call.call(following, HttpRequest.newBuilder(server.uri("/redirect-to-echo"))
          .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.body()).isEqualTo("got: hello");
    assertThat(server.received().body()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
    assertThat(server.received().body()).as("sent again to /echo").asString(StandardCharsets.UTF_8)
        .isEqualTo("hello");
    assertThat(onlyMessage(RingDump.trace(sdk, traceId))).containsEntry("status", 200L)
        .containsEntry("requestBody", "hello").containsEntry("requestBodySize", 5L)
        .containsEntry("responseBody", "got: hello");
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void theCalleeNamedInTheResponseBecomesABreadcrumbWithTheAuthorityCalled(Call call) throws Exception {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      call.call(http, HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());
    }

    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    assertThat(list(trace, "breadcrumbs")).singleElement().satisfies(crumb -> assertThat(crumb)
        .containsEntry("role", "callee").containsEntry("agentId", TestHttpServer.CALLEE_AGENT)
        .containsEntry("authority", server.authority())
        .containsEntry("spanId", span(trace, "GET /echo").get("spanId")));
  }

  @Test
  void anUninstrumentedCalleeLeavesABreadcrumbWithOnlyTheAuthority() throws Exception {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      http.send(HttpRequest.newBuilder(server.uri("/uninstrumented")).build(), HttpResponse.BodyHandlers.ofString());
    }

    assertThat(list(RingDump.trace(sdk, traceId), "breadcrumbs")).singleElement().satisfies(crumb -> assertThat(crumb)
        .containsEntry("role", "callee").containsEntry("agentId", null).containsEntry("authority", server.authority()));
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void aCallOutsideAnySpanStartsANewTraceInTheGivenSdk(Call call) throws Exception {
    call.call(http, HttpRequest.newBuilder(server.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(Mintaro.traceId()).as("nothing stays current").isNull();
    TestHttpServer.Received received = server.received();
    String traceId = received.header("X-Mintaro-Trace");
    assertThat(traceId).matches("[0-9a-f]{32}");
    Map<String, Object> trace = RingDump.trace(sdk, traceId);
    Map<String, Object> clientSpan = span(trace, "GET /echo");
    assertThat(clientSpan).containsEntry("kind", "client").containsEntry("parentSpanId", null);
    assertThat(received.header("traceparent")).isEqualTo("00-" + traceId + "-" + clientSpan.get("spanId") + "-01");
    assertThat(list(trace, "messages")).hasSize(1);
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
    assertThat(MintaroHttpClient.wrap(http, TestSdks.local())).isSameAs(http);
  }

  @Test
  void theWrapperReportsTheWrappedClientsSettings() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(1234))
        .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
    HttpClient wrapped = MintaroHttpClient.wrap(plain, sdk);

    assertThat(wrapped.connectTimeout()).hasValue(Duration.ofMillis(1234));
    assertThat(wrapped.followRedirects()).isEqualTo(HttpClient.Redirect.NORMAL);
    assertThat(wrapped.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  private static Map<String, Object> onlyMessage(Map<String, Object> trace) {
    List<Map<String, Object>> messages = list(trace, "messages");
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<List<String>> headers(Map<String, Object> message, String which) {
    return (List<List<String>>) message.get(which);
  }
}
