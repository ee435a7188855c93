package io.mintaro.okhttp;

import io.mintaro.test.LoopbackServer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.EventListener;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What is particular to OkHttp: its dispatcher, follow-ups, body streaming and event listeners. */
class MintaroOkHttpTest {
  private static final int LIMIT = 1024;

  @RegisterExtension
  final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(LIMIT));

  private final LoopbackServer server = startServer();
  private final List<OkHttpClient> clients = new ArrayList<>();

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
    for (OkHttpClient client : clients) {
      client.dispatcher().executorService().shutdownNow();
      client.connectionPool().evictAll();
    }
    server.close();
  }

  private OkHttpClient client(OkHttpClient.Builder builder) {
    OkHttpClient client = MintaroOkHttp.client(builder);
    clients.add(client);
    return client;
  }

  private OkHttpClient client() {
    return client(new OkHttpClient.Builder());
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }

  private RecordedTrace awaitCall(String traceId) {
    return mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1);
  }

  private static RecordedSpan clientSpan(RecordedTrace trace) {
    List<RecordedSpan> clients = trace.spans().stream().filter(s -> s.kind().equals("client")).toList();
    assertThat(clients).hasSize(1);
    return clients.get(0);
  }

  // --- asynchronous calls ---------------------------------------------------------------

  @Test
  void queuedAsyncCallsAreRecordedInTheTraceOfTheirCallerNotOfTheCallThatFreedTheirSlot() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.on("/hold", (e, in) -> {
      release.await(5, TimeUnit.SECONDS);
      LoopbackServer.respond(e, 200, "held".getBytes(UTF_8));
    });
    Dispatcher oneAtATime = new Dispatcher();
    oneAtATime.setMaxRequestsPerHost(1); // the 2nd and 3rd calls wait, then start on the 1st's thread
    OkHttpClient client = client(new OkHttpClient.Builder().dispatcher(oneAtATime));

    List<String> traceIds = new ArrayList<>();
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      try (Span root = Mintaro.startSpan("caller-" + i)) {
        traceIds.add(root.traceId());
        answers.add(enqueue(client, get(server.url("/hold"))));
      }
    }
    assertThat(oneAtATime.queuedCallsCount()).isEqualTo(2);
    release.countDown();
    for (CompletableFuture<String> answer : answers) {
      assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("held");
    }

    for (int i = 0; i < 3; i++) {
      RecordedTrace trace = awaitCall(traceIds.get(i));
      assertThat(clientSpan(trace).parentSpanId()).isEqualTo(trace.span("caller-" + i).spanId());
    }
    assertThat(server.seen()).extracting(s -> s.header("x-mintaro-trace"))
        .containsExactlyInAnyOrderElementsOf(traceIds);
  }

  @Test
  void theInterceptorAloneRecordsSynchronousCallsInTheCallersTrace() throws Exception {
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(new MintaroInterceptor()).build();
    clients.add(client);
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (Response response = client.newCall(get(server.url("/ok"))).execute()) {
        assertThat(response.body().string()).isEqualTo("ok");
      }
    }

    RecordedTrace trace = awaitCall(traceId);
    assertThat(clientSpan(trace).parentSpanId()).isEqualTo(trace.span("root").spanId());
  }

  @Test
  void withoutTheListenerAnEnqueuedCallLosesItsCallersTrace() throws Exception {
    OkHttpClient client = new OkHttpClient.Builder().addInterceptor(new MintaroInterceptor()).build();
    clients.add(client);
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThat(enqueue(client, get(server.url("/ok"))).get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    }

    String sent = server.seen().get(0).header("x-mintaro-trace");
    assertThat(sent).as("why MintaroOkHttp.client installs a listener too").isNotEqualTo(traceId);
    RecordedTrace own = awaitCall(sent);
    assertThat(clientSpan(own).parentSpanId()).isNull();
  }

  @Test
  void theApplicationsOwnEventListenerStillHearsEveryEvent() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    OkHttpClient client = client(new OkHttpClient.Builder().eventListener(new EventListener() {
      @Override
      public void callStart(Call call) {
        events.add("callStart");
      }

      @Override
      public void callEnd(Call call) {
        events.add("callEnd");
      }
    }));

    try (Response response = client.newCall(get(server.url("/ok"))).execute()) {
      response.body().string();
    }

    assertThat(events).containsExactly("callStart", "callEnd");
  }

  @Test
  void wrappingAClientTwiceInstallsMintaroOnce() {
    OkHttpClient once = client();
    OkHttpClient twice = MintaroOkHttp.wrap(once);

    assertThat(twice).isSameAs(once);
    assertThat(once.interceptors()).hasSize(1);
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
      try (Response response = client().newCall(get(server.url("/moved"))).execute()) {
        assertThat(response.body().string()).isEqualTo("ok");
      }
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
  void aBodySentAgainFor307IsRecordedOnce() throws Exception {
    server.on("/again", (e, in) -> {
      e.getResponseHeaders().add("Location", "/echo");
      LoopbackServer.respond(e, 307, new byte[0]);
    });
    byte[] body = "{\"order\":42}".getBytes(UTF_8);
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      Request post = new Request.Builder().url(server.url("/again"))
          .post(RequestBody.create(body, MediaType.get("application/json"))).build();
      try (Response response = client().newCall(post).execute()) {
        assertThat(response.body().bytes()).isEqualTo(body);
      }
    }

    assertThat(server.seen()).extracting(LoopbackServer.Seen::body).containsExactly(body, body);
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.requestBody()).isEqualTo("{\"order\":42}");
    assertThat(exchange.requestBodySize()).isEqualTo(body.length);
    assertThat(exchange.requestHeader("content-type")).isEqualTo("application/json");
  }

  @Test
  void aOneShotBodyIsWrittenOnceAndNotResent() throws Exception {
    server.on("/again", (e, in) -> {
      e.getResponseHeaders().add("Location", "/echo");
      LoopbackServer.respond(e, 307, new byte[0]);
    });
    AtomicInteger writes = new AtomicInteger();
    RequestBody oneShot = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("text/plain");
      }

      @Override
      public boolean isOneShot() {
        return true;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        if (writes.incrementAndGet() > 1) {
          throw new IllegalStateException("a one-shot body was written twice");
        }
        sink.writeUtf8("only once");
      }
    };
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (Response response = client().newCall(new Request.Builder().url(server.url("/again")).post(oneShot).build())
          .execute()) {
        assertThat(response.code()).as("OkHttp does not follow a 307 with a one-shot body").isEqualTo(307);
      }
    }

    assertThat(writes).hasValue(1);
    assertThat(server.seen()).extracting(s -> new String(s.body(), UTF_8)).containsExactly("only once");
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.status()).isEqualTo(307);
    assertThat(exchange.requestBody()).isEqualTo("only once");
  }

  @Test
  void anExceptionFromFurtherDownTheChainReachesTheApplicationUnchanged() throws Exception {
    IOException boom = new IOException("boom");
    OkHttpClient client = client(new OkHttpClient.Builder().addNetworkInterceptor(chain -> {
      throw boom;
    }));
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThatThrownBy(() -> client.newCall(get(server.url("/ok"))).execute()).isSameAs(boom);
    }

    RecordedTrace trace = awaitCall(traceId);
    assertThat(trace.outbound().get(0).error()).isEqualTo("java.io.IOException: boom");
    assertThat(clientSpan(trace).status()).isEqualTo("failed");
  }

  // --- bodies -----------------------------------------------------------------------------

  @Test
  void aLargeResponseReachesTheApplicationAsItArrives() throws Exception {
    CountDownLatch firstPartRead = new CountDownLatch(1);
    AtomicBoolean streamed = new AtomicBoolean();
    byte[] whole = LoopbackServer.pattern(100_000);
    server.on("/stream", (e, in) -> {
      e.sendResponseHeaders(200, 0); // chunked
      try (OutputStream out = e.getResponseBody()) {
        out.write(whole, 0, 1000);
        out.flush();
        // the rest is sent only once the application has the first part: nothing may wait for all
        streamed.set(firstPartRead.await(5, TimeUnit.SECONDS));
        out.write(whole, 1000, whole.length - 1000);
      }
    });
    String traceId;
    byte[] received = new byte[whole.length];
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (Response response = client().newCall(get(server.url("/stream"))).execute();
          InputStream in = response.body().byteStream()) {
        int total = 0;
        byte[] chunk = new byte[100];
        for (int n; (n = in.read(chunk, 0, chunk.length)) != -1; total += n) {
          System.arraycopy(chunk, 0, received, total, n);
          if (total + n >= 1000) {
            firstPartRead.countDown();
          }
        }
        assertThat(total).isEqualTo(whole.length);
      }
    }

    assertThat(streamed).isTrue();
    assertThat(received).isEqualTo(whole);
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
      try (Response response = client().newCall(get(server.url("/late-body"))).execute()) {
        assertThat(mintaro.trace(traceId).outbound()).as("recorded before the body was read").isEmpty();
        headersSeen.countDown();
        assertThat(response.body().string()).isEqualTo("first second");
      }
    }

    RecordedTrace trace = awaitCall(traceId);
    assertThat(trace.outbound().get(0).responseBody()).isEqualTo("first second");
    assertThat(clientSpan(trace).durationUs()).as("the span lasts until the body ended").isGreaterThan(200_000);
  }

  @Test
  void closingTheResponseEarlyRecordsWhatArrivedWithoutAnError() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    server.on("/endless", (e, in) -> streamThenWait(e, closed));
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      Response response = client().newCall(get(server.url("/endless"))).execute();
      BufferedSource source = response.body().source();
      source.require(1000);
      assertThat(source.readByteArray(1000)).isEqualTo(LoopbackServer.pattern(1000));
      response.close();
      closed.countDown();
    }

    RecordedTrace trace = awaitCall(traceId);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.error()).isNull();
    assertThat(exchange.responseBodySize()).isEqualTo(1000);
    assertThat(exchange.responseBodyBytes()).isEqualTo(LoopbackServer.pattern(1000));
    assertThat(clientSpan(trace).status()).isEqualTo("succeeded");
  }

  @Test
  void cancellingTheCallMidBodyReachesTheApplicationAndIsRecordedWithWhatArrived() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    server.on("/endless", (e, in) -> streamThenWait(e, cancelled));
    String traceId;
    IOException thrown;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      Call call = client().newCall(get(server.url("/endless")));
      try (Response response = call.execute()) {
        BufferedSource source = response.body().source();
        source.require(1000);
        source.skip(1000);
        call.cancel();
        thrown = catchThrowableOfType(IOException.class, () -> source.require(1));
      } finally {
        cancelled.countDown();
      }
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
      try (Response response = client().newCall(get(server.url("/nothing"))).execute()) {
        assertThat(response.code()).isEqualTo(204);
        RecordedTrace trace = awaitCall(traceId); // before the application closes the response
        assertThat(trace.outbound().get(0).status()).isEqualTo(204);
      }
      try (Response response = client().newCall(new Request.Builder().url(server.url("/ok")).head().build())
          .execute()) {
        assertThat(mintaro.awaitTrace(traceId, t -> t.outbound().size() == 2).outbound())
            .extracting(RecordedExchange::method).containsExactly("GET", "HEAD");
      }
    }
  }

  @Test
  void aCompressedResponseIsRecordedAsTheApplicationReadsIt() throws Exception {
    String text = "hello ".repeat(100);
    server.on("/gzip", (e, in) -> {
      e.getResponseHeaders().add("Content-Encoding", "gzip");
      e.getResponseHeaders().add("Content-Type", "text/plain");
      java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
        gzip.write(text.getBytes(UTF_8));
      }
      LoopbackServer.respond(e, 200, zipped.toByteArray());
    });
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      try (Response response = client().newCall(get(server.url("/gzip"))).execute()) {
        assertThat(response.body().string()).isEqualTo(text);
      }
    }

    assertThat(server.seen().get(0).header("accept-encoding")).as("OkHttp asked for gzip itself").isEqualTo("gzip");
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.responseBody()).isEqualTo(text);
  }

  @Test
  void aFormIsRedactedByTheMediaTypeOfItsBody() throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      FormBody form = new FormBody.Builder().add("user", "ann").add("password", "hunter2").build();
      try (Response response = client().newCall(new Request.Builder().url(server.url("/echo")).post(form).build())
          .execute()) {
        assertThat(response.body().string()).isEqualTo("user=ann&password=hunter2");
      }
    }

    assertThat(new String(server.seen().get(0).body(), UTF_8)).isEqualTo("user=ann&password=hunter2");
    RecordedExchange exchange = awaitCall(traceId).outbound().get(0);
    assertThat(exchange.requestHeader("content-type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(exchange.requestBody()).contains("user=ann").doesNotContain("hunter2");
  }

  private static CompletableFuture<String> enqueue(OkHttpClient client, Request request) {
    CompletableFuture<String> answer = new CompletableFuture<>();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          answer.complete(response.body().string());
        } catch (IOException e) {
          answer.completeExceptionally(e);
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        answer.completeExceptionally(e);
      }
    });
    return answer;
  }
}
