package io.mintaro.apache.httpclient;

import io.mintaro.test.LoopbackServer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is particular to the classic client: its exec chain, entities, streams and closing modes. */
class ClassicClientTest {
  private static final int LIMIT = 1024;

  @RegisterExtension
  final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(LIMIT));

  private final LoopbackServer server = startServer();
  private CloseableHttpClient client;

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
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  private CloseableHttpClient client() {
    return client(HttpClients.custom());
  }

  private CloseableHttpClient client(HttpClientBuilder builder) {
    client = MintaroHttpClient5.classic(builder).build();
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

  // --- follow-ups -------------------------------------------------------------------------

  @Test
  void aRedirectIsOneClientSpanAndEveryHopCarriesItsTrace() throws Exception {
    server.on("/moved", (e, in) -> {
      e.getResponseHeaders().add("Location", "/ok");
      LoopbackServer.respond(e, 302, new byte[0]);
    });
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      String body = client().execute(new HttpGet(server.url("/moved")), r -> EntityUtils.toString(r.getEntity()));
      assertThat(body).isEqualTo("ok");
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
    byte[] body = "{\"order\":42}".getBytes(UTF_8);
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      CloseableHttpClient client = client(HttpClients.custom()
          .setRetryStrategy(new DefaultHttpRequestRetryStrategy(1, TimeValue.ofMilliseconds(10))));
      int status = client.execute(ClassicRequestBuilder.post(server.url("/flaky"))
          .setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON)).build(), r -> r.getCode());
      assertThat(status).isEqualTo(200);
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

  @Test
  void aStreamedEntityIsWrittenOnceAndNotResent() throws Exception {
    server.on("/again", (e, in) -> {
      e.getResponseHeaders().add("Location", "/echo");
      LoopbackServer.respond(e, 307, new byte[0]);
    });
    AtomicInteger writes = new AtomicInteger();
    InputStream content = new ByteArrayInputStream("only once".getBytes(UTF_8));
    AbstractHttpEntity oneShot = new AbstractHttpEntity(ContentType.TEXT_PLAIN, null) {
      @Override
      public void writeTo(OutputStream out) throws IOException {
        writes.incrementAndGet();
        content.transferTo(out);
      }

      @Override
      public InputStream getContent() {
        return content;
      }

      @Override
      public long getContentLength() {
        return -1;
      }

      @Override
      public boolean isStreaming() {
        return true;
      }

      @Override
      public void close() throws IOException {
        content.close();
      }
    };
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      int status = client().execute(ClassicRequestBuilder.post(server.url("/again")).setEntity(oneShot).build(),
          r -> r.getCode());
      assertThat(status).as("HttpClient does not resend a body it cannot repeat").isEqualTo(307);
    }

    assertThat(writes).hasValue(1);
    assertThat(server.seen()).extracting(s -> new String(s.body(), UTF_8)).containsExactly("only once");
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.status()).isEqualTo(307);
    assertThat(exchange.requestBody()).isEqualTo("only once");
  }

  // --- bodies -----------------------------------------------------------------------------

  @Test
  void aLargeResponseReachesTheApplicationAsItArrives() throws Exception {
    CountDownLatch firstPartRead = new CountDownLatch(1);
    AtomicBoolean streamed = new AtomicBoolean();
    byte[] whole = LoopbackServer.pattern(100_000);
    server.on("/stream", (e, in) -> {
      e.sendResponseHeaders(200, 0);
      try (OutputStream out = e.getResponseBody()) {
        out.write(whole, 0, 1000);
        out.flush();
        streamed.set(firstPartRead.await(5, TimeUnit.SECONDS)); // the rest only once the first part is in
        out.write(whole, 1000, whole.length - 1000);
      }
    });
    String traceId;
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (ClassicHttpResponse response = client().executeOpen(null, new HttpGet(server.url("/stream")), null);
          InputStream in = response.getEntity().getContent()) {
        byte[] chunk = new byte[100];
        for (int n; (n = in.read(chunk)) != -1; ) {
          received.write(chunk, 0, n);
          if (received.size() >= 1000) {
            firstPartRead.countDown();
          }
        }
      }
    }

    assertThat(streamed).isTrue();
    assertThat(received.toByteArray()).isEqualTo(whole);
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.responseBodySize()).isEqualTo(whole.length);
    assertThat(exchange.responseBodyTruncated()).isTrue();
    assertThat(exchange.responseBodyBytes()).isEqualTo(Arrays.copyOf(whole, LIMIT));
  }

  @Test
  void theExchangeIsRecordedWhenTheBodyHasBeenReadNotWhenTheHeadersArrive() throws Exception {
    CountDownLatch headersSeen = new CountDownLatch(1);
    server.on("/late-body", (e, in) -> {
      e.sendResponseHeaders(200, 0);
      try (OutputStream out = e.getResponseBody()) {
        out.write("first ".getBytes(UTF_8));
        out.flush();
        headersSeen.await(5, TimeUnit.SECONDS);
        Thread.sleep(200);
        out.write("second".getBytes(UTF_8));
      }
    });
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (ClassicHttpResponse response = client().executeOpen(null, new HttpGet(server.url("/late-body")), null)) {
        assertThat(mintaro.trace(traceId).outbound()).as("recorded before the body was read").isEmpty();
        headersSeen.countDown();
        assertThat(EntityUtils.toString(response.getEntity())).isEqualTo("first second");
        assertThat(mintaro.trace(traceId).outbound()).as("recorded at the end of the body").hasSize(1);
      }
    }

    RecordedTrace trace = awaitCall(traceId);
    assertThat(trace.outbound().get(0).responseBody()).isEqualTo("first second");
    assertThat(clientSpan(trace).durationUs()).as("the span lasts until the body ended").isGreaterThan(200_000);
  }

  @Test
  void closingTheResponseEarlyRecordsWhatTheApplicationReadWithoutAnError() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    server.on("/endless", (e, in) -> {
      e.sendResponseHeaders(200, 0);
      try (OutputStream out = e.getResponseBody()) {
        out.write(LoopbackServer.pattern(1000));
        out.flush();
        done.await(5, TimeUnit.SECONDS);
        out.write(new byte[50_000]); // drained by HttpClient on close, never read by the application
      }
    });
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      ClassicHttpResponse response = client().executeOpen(null, new HttpGet(server.url("/endless")), null);
      assertThat(response.getEntity().getContent().readNBytes(1000)).isEqualTo(LoopbackServer.pattern(1000));
      done.countDown();
      response.close();
    }

    RecordedTrace trace = awaitCall(traceId);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.error()).isNull();
    assertThat(exchange.responseBodySize()).isEqualTo(1000);
    assertThat(exchange.responseBodyBytes()).isEqualTo(LoopbackServer.pattern(1000));
    assertThat(clientSpan(trace).status()).isEqualTo("succeeded");
  }

  @Test
  void closingTheResponseImmediatelyAlsoEndsTheExchange() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    server.on("/endless", (e, in) -> streamThenWait(e, done));
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      ClassicHttpResponse response = client().executeOpen(null, new HttpGet(server.url("/endless")), null);
      assertThat(response.getEntity().getContent().readNBytes(1000)).hasSize(1000);
      ((CloseableHttpResponse) response).close(CloseMode.IMMEDIATE); // drops the connection without closing the entity
      assertThat(mintaro.trace(traceId).outbound()).hasSize(1);
    } finally {
      done.countDown();
    }

    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.error()).isNull();
    assertThat(exchange.responseBodySize()).isEqualTo(1000);
  }

  @Test
  void cancellingTheRequestMidBodyReachesTheApplicationAndIsRecordedWithWhatArrived() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    server.on("/endless", (e, in) -> streamThenWait(e, done));
    String traceId;
    IOException thrown;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      HttpGet get = new HttpGet(server.url("/endless"));
      try (ClassicHttpResponse response = client().executeOpen(null, get, null)) {
        InputStream in = response.getEntity().getContent();
        assertThat(in.readNBytes(1000)).hasSize(1000);
        get.cancel();
        thrown = catchThrowableOfType(IOException.class, () -> in.read());
      }
    } finally {
      done.countDown();
    }

    RecordedTrace trace = awaitCall(traceId);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(thrown).as("the application's read fails").isNotNull();
    assertThat(exchange.error()).isEqualTo(thrown.getClass().getName() + ": " + thrown.getMessage());
    assertThat(exchange.responseBodySize()).isEqualTo(1000);
    assertThat(clientSpan(trace).status()).isEqualTo("failed");
  }

  /** Sends 1000 bytes, then holds the response open until the test is done with it. */
  private static void streamThenWait(com.sun.net.httpserver.HttpExchange e, CountDownLatch done) throws Exception {
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
  }

  @Test
  void aResponseWithoutABodyIsRecordedAtOnce() throws Exception {
    server.on("/nothing", (e, in) -> LoopbackServer.respond(e, 204, new byte[0]));
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (ClassicHttpResponse response = client().executeOpen(null, new HttpGet(server.url("/nothing")), null)) {
        assertThat(response.getCode()).isEqualTo(204);
        assertThat(mintaro.trace(traceId).outbound()).as("before the response is closed")
            .extracting(RecordedExchange::status).containsExactly(204);
      }
    }
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
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      String body = client().execute(new HttpGet(server.url("/gzip")), r -> EntityUtils.toString(r.getEntity()));
      assertThat(body).isEqualTo(text);
    }

    assertThat(server.seen().get(0).header("accept-encoding")).as("HttpClient asked for gzip itself").contains("gzip");
    assertThat(awaitCall(traceId).outbound().get(0).responseBody()).isEqualTo(text);
  }

  @Test
  void aFormIsRedactedByTheContentTypeOfItsEntity() throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      UrlEncodedFormEntity form = new UrlEncodedFormEntity(List.of(new BasicNameValuePair("user", "ann"),
          new BasicNameValuePair("password", "hunter2")));
      String echoed = client().execute(ClassicRequestBuilder.post(server.url("/echo")).setEntity(form).build(),
          r -> EntityUtils.toString(r.getEntity()));
      assertThat(echoed).isEqualTo("user=ann&password=hunter2");
    }

    assertThat(new String(server.seen().get(0).body(), UTF_8)).isEqualTo("user=ann&password=hunter2");
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.requestHeader("content-type")).startsWith("application/x-www-form-urlencoded");
    assertThat(exchange.requestBody()).contains("user=ann").doesNotContain("hunter2");
  }

  @Test
  void aResponseReadThroughSeveralStreamsOfItsEntityIsRecordedWhole() throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (ClassicHttpResponse response = client().executeOpen(null, new HttpGet(server.url("/ok")), null)) {
        // HttpClient hands out a new stream over the one connection on each getContent()
        assertThat(response.getEntity().getContent().read()).isEqualTo('o');
        assertThat(new String(response.getEntity().getContent().readAllBytes(), UTF_8)).isEqualTo("k");
      }
    }

    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.responseBody()).isEqualTo("ok");
  }

  @Test
  void aResponseStreamReadAgainAfterResetIsRecordedOnce() throws Exception {
    // an exec handler after Mintaro's (a cache, say) answers with a repeatable, markable entity
    client = MintaroHttpClient5.classic(HttpClients.custom()).addExecInterceptorAfter(MintaroHttpClient5.NAME, "cache",
        (request, scope, chain) -> {
          ClassicHttpResponse response = chain.proceed(request, scope);
          byte[] body = EntityUtils.toByteArray(response.getEntity());
          response.setEntity(new ByteArrayEntity(body, ContentType.TEXT_PLAIN));
          return response;
        }).build();
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (ClassicHttpResponse response = client.executeOpen(null, new HttpGet(server.url("/ok")), null);
          InputStream in = response.getEntity().getContent()) {
        assertThat(in.markSupported()).isTrue();
        in.mark(10);
        assertThat(in.read()).isEqualTo('o');
        in.reset();
        assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("ok");
      }
    }

    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.responseBody()).isEqualTo("ok");
    assertThat(exchange.responseBodySize()).isEqualTo(2);
  }
}
