package io.mintaro.apache.httpclient;

import io.mintaro.test.LoopbackServer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What is particular to the async client: the call starts on the caller's thread, the rest runs
 * on I/O threads, and bodies pass through the application's consumers in pieces.
 */
class AsyncClientTest {
  private static final int LIMIT = 1024;

  @RegisterExtension
  final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(LIMIT));

  private final LoopbackServer server = startServer();
  private CloseableHttpAsyncClient client;

  private static LoopbackServer startServer() {
    try {
      return new LoopbackServer()
          .on("/ok", (e, in) -> LoopbackServer.respond(e, 200, "ok".getBytes(UTF_8)))
          .on("/echo", (e, in) -> LoopbackServer.respond(e, 200, in));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close(CloseMode.IMMEDIATE);
    }
    server.close();
  }

  private CloseableHttpAsyncClient client() {
    return client(HttpAsyncClients.custom());
  }

  private CloseableHttpAsyncClient client(HttpAsyncClientBuilder builder) {
    client = MintaroHttpClient5.async(builder).build();
    client.start();
    return client;
  }

  private RecordedTrace awaitCall(String traceId) {
    return mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1);
  }

  private static RecordedSpan clientSpan(RecordedTrace trace) {
    List<RecordedSpan> clients = trace.spans().stream().filter(s -> s.kind().equals("client")).toList();
    assertThat(clients).hasSize(1);
    return clients.get(0);
  }

  private SimpleHttpResponse get(String path) throws Exception {
    return client.execute(SimpleRequestBuilder.get(server.url(path)).build(), null).get(5, TimeUnit.SECONDS);
  }

  @Test
  void callsWaitingForAConnectionAreRecordedInTheTraceOfTheirCaller() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.on("/hold", (e, in) -> {
      release.await(5, TimeUnit.SECONDS);
      LoopbackServer.respond(e, 200, "held".getBytes(UTF_8));
    });
    client(HttpAsyncClients.custom().setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
        .setMaxConnPerRoute(1).setMaxConnTotal(1).build())); // the 2nd and 3rd calls lease it on I/O threads

    List<String> traceIds = new ArrayList<>();
    List<Future<SimpleHttpResponse>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (Span root = Mintaro.startSpan("caller-" + i)) {
        traceIds.add(root.traceId());
        answers.add(client.execute(SimpleRequestBuilder.get(server.url("/hold")).build(), null));
      }
    }
    release.countDown();
    for (Future<SimpleHttpResponse> answer : answers) {
      assertThat(answer.get(5, TimeUnit.SECONDS).getBodyText()).isEqualTo("held");
    }

    for (int i = 0; i < 3; i++) {
      RecordedTrace trace = awaitCall(traceIds.get(i));
      assertThat(clientSpan(trace).parentSpanId()).isEqualTo(trace.span("caller-" + i).spanId());
    }
    assertThat(server.seen()).extracting(s -> s.header("x-mintaro-trace"))
        .containsExactlyInAnyOrderElementsOf(traceIds);
  }

  @Test
  void theExchangeIsRecordedBeforeTheApplicationHasItsAnswer() throws Exception {
    server.on("/nothing", (e, in) -> LoopbackServer.respond(e, 204, new byte[0]));
    client();
    try (Span root = Mintaro.startSpan("root")) {
      assertThat(get("/ok").getBodyText()).isEqualTo("ok");
      assertThat(mintaro.trace(root.traceId()).outbound()).extracting(RecordedExchange::responseBody)
          .containsExactly("ok");
      assertThat(get("/nothing").getCode()).isEqualTo(204);
      assertThat(mintaro.trace(root.traceId()).outbound()).extracting(RecordedExchange::status)
          .containsExactly(200, 204);
    }
  }

  @Test
  void aRedirectIsOneClientSpanAndEveryHopCarriesItsTrace() throws Exception {
    server.on("/moved", (e, in) -> {
      e.getResponseHeaders().add("Location", "/ok");
      LoopbackServer.respond(e, 302, new byte[0]);
    });
    client();
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThat(get("/moved").getBodyText()).isEqualTo("ok");
    }

    RecordedTrace trace = awaitCall(traceId);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.url()).isEqualTo(server.url("/moved"));
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.responseBody()).isEqualTo("ok");
    String traceparent = "00-" + traceId + "-" + clientSpan(trace).spanId() + "-03";
    assertThat(server.seen()).extracting(LoopbackServer.Seen::path).containsExactly("/moved", "/ok");
    assertThat(server.seen()).extracting(s -> s.header("traceparent")).containsOnly(traceparent);
  }

  @Test
  void aRetriedCallIsOneClientSpanWithItsBodyRecordedOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    server.on("/flaky", (e, in) -> LoopbackServer.respond(e, calls.incrementAndGet() == 1 ? 503 : 200, in));
    client(HttpAsyncClients.custom().setRetryStrategy(new DefaultHttpRequestRetryStrategy(1, TimeValue.ofMilliseconds(10))));
    byte[] body = "{\"order\":42}".getBytes(UTF_8);
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      SimpleHttpResponse response = client.execute(SimpleRequestBuilder.post(server.url("/flaky"))
          .setBody(body, ContentType.APPLICATION_JSON).build(), null).get(5, TimeUnit.SECONDS);
      assertThat(response.getCode()).isEqualTo(200);
    }

    assertThat(server.seen()).extracting(LoopbackServer.Seen::body).containsExactly(body, body);
    assertThat(server.seen()).extracting(s -> s.header("traceparent")).doesNotContainNull().hasSize(2)
        .containsOnly(server.seen().get(0).header("traceparent"));
    RecordedTrace trace = awaitCall(traceId);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.requestBody()).isEqualTo("{\"order\":42}");
    assertThat(exchange.requestBodySize()).isEqualTo(body.length);
    assertThat(exchange.requestHeader("content-type")).isEqualTo("application/json; charset=UTF-8");
    assertThat(clientSpan(trace).status()).isEqualTo("succeeded");
  }

  /** Collects the body piece by piece, and says when the first {@code first} bytes are in. */
  private static final class Collecting extends AbstractBinResponseConsumer<byte[]> {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final CountDownLatch firstPart = new CountDownLatch(1);
    private final int first;

    Collecting(int first) {
      this.first = first;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
    }

    @Override
    protected int capacityIncrement() {
      return 1024;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
      byte[] piece = new byte[src.remaining()];
      src.get(piece);
      body.write(piece, 0, piece.length);
      if (body.size() >= first) {
        firstPart.countDown();
      }
    }

    @Override
    protected byte[] buildResult() {
      return body.toByteArray();
    }

    @Override
    public void releaseResources() {
    }
  }

  @Test
  void aLargeResponseReachesTheApplicationsConsumerAsItArrives() throws Exception {
    AtomicBoolean streamed = new AtomicBoolean();
    Collecting consumer = new Collecting(1000);
    byte[] whole = LoopbackServer.pattern(100_000);
    server.on("/stream", (e, in) -> {
      e.sendResponseHeaders(200, 0);
      try (OutputStream out = e.getResponseBody()) {
        out.write(whole, 0, 1000);
        out.flush();
        streamed.set(consumer.firstPart.await(5, TimeUnit.SECONDS)); // the rest once the first part is in
        out.write(whole, 1000, whole.length - 1000);
      }
    });
    client();
    String traceId;
    byte[] received;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      received = client.execute(SimpleRequestProducer.create(SimpleRequestBuilder.get(server.url("/stream")).build()),
          consumer, null).get(10, TimeUnit.SECONDS);
    }

    assertThat(streamed).isTrue();
    assertThat(received).isEqualTo(whole);
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.responseBodySize()).isEqualTo(whole.length);
    assertThat(exchange.responseBodyTruncated()).isTrue();
    assertThat(exchange.responseBodyBytes()).isEqualTo(Arrays.copyOf(whole, LIMIT));
  }

  @Test
  void cancellingTheCallMidBodyIsRecordedWithWhatArrived() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    Collecting consumer = new Collecting(1000);
    server.on("/endless", (e, in) -> {
      e.sendResponseHeaders(200, 0);
      OutputStream out = e.getResponseBody();
      out.write(LoopbackServer.pattern(1000));
      out.flush();
      done.await(5, TimeUnit.SECONDS);
      try {
        out.write(new byte[10]);
        out.close();
      } catch (IOException gone) {
        // the client hung up, as the test meant it to
      }
    });
    client();
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      Future<byte[]> answer = client.execute(
          SimpleRequestProducer.create(SimpleRequestBuilder.get(server.url("/endless")).build()), consumer, null);
      assertThat(consumer.firstPart.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(answer.cancel(true)).isTrue();
    } finally {
      done.countDown();
    }

    RecordedTrace trace = awaitCall(traceId);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.error()).isNotBlank();
    assertThat(exchange.responseBodySize()).isEqualTo(1000);
    assertThat(exchange.responseBodyBytes()).isEqualTo(LoopbackServer.pattern(1000));
    assertThat(clientSpan(trace).status()).isEqualTo("failed");
  }

  @Test
  void aCompressedResponseIsRecordedAsTheApplicationReadsIt() throws Exception {
    String text = "hello ".repeat(100);
    server.on("/gzip", (e, in) -> {
      e.getResponseHeaders().add("Content-Encoding", "gzip");
      e.getResponseHeaders().add("Content-Type", "text/plain");
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
        gzip.write(text.getBytes(UTF_8));
      }
      LoopbackServer.respond(e, 200, zipped.toByteArray());
    });
    client();
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThat(get("/gzip").getBodyText()).isEqualTo(text);
    }

    assertThat(server.seen().get(0).header("accept-encoding")).as("HttpClient asked for gzip itself").contains("gzip");
    assertThat(awaitCall(traceId).outbound().get(0).responseBody()).isEqualTo(text);
  }
}
