package io.mintaro.okhttp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import okio.BufferedSource;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A duplex body (HTTP/2 only): the application writes it on its own thread while it reads the
 * response. Mintaro leaves it as it is and records the rest of the exchange.
 */
class DuplexBodyTest {
  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private final Map<String, String> seenHeaders = new ConcurrentHashMap<>();
  private Server server;
  private ServerConnector connector;
  private OkHttpClient client;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    connector = new ServerConnector(server, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
          Callback callback) throws Exception {
        for (HttpField field : request.getHeaders()) {
          seenHeaders.put(field.getLowerCaseName(), field.getValue());
        }
        // echoes each line as soon as it has it: the answer starts before the request ends
        response.setStatus(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Content.Source.asInputStream(request), UTF_8));
            OutputStream out = Content.Sink.asOutputStream(response)) {
          for (String line; (line = in.readLine()) != null; ) {
            out.write((line + "\n").getBytes(UTF_8));
            out.flush();
          }
        }
        callback.succeeded();
        return true;
      }
    });
    server.start();
    client = MintaroOkHttp.client(new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)));
  }

  @AfterEach
  void stop() throws Exception {
    client.dispatcher().executorService().shutdownNow();
    client.connectionPool().evictAll();
    server.stop();
  }

  @Test
  void aDuplexBodyIsSentUntouchedWhileTheResponseIsRecorded() throws Exception {
    CompletableFuture<BufferedSink> sink = new CompletableFuture<>();
    RequestBody duplex = new RequestBody() {
      @Override
      public MediaType contentType() {
        return MediaType.get("text/plain");
      }

      @Override
      public boolean isDuplex() {
        return true;
      }

      @Override
      public void writeTo(BufferedSink out) {
        sink.complete(out); // written later, by the application, on its own threads
      }
    };
    // the server answers only once it has the first line, and execute() waits for that answer
    CompletableFuture<Void> firstLine = sink.thenAcceptAsync(out -> write(out, "ping\n"));

    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      Request request = new Request.Builder().url("http://127.0.0.1:" + connector.getLocalPort() + "/chat")
          .post(duplex).build();
      try (Response response = client.newCall(request).execute()) {
        assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
        BufferedSource answer = response.body().source();
        assertThat(answer.readUtf8LineStrict()).isEqualTo("ping");
        firstLine.get(5, TimeUnit.SECONDS);
        write(sink.get(), "pong\n");
        assertThat(answer.readUtf8LineStrict()).isEqualTo("pong");
        sink.get().close();
        assertThat(answer.exhausted()).isTrue();
      }
    }

    RecordedExchange exchange = mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1).outbound().get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.error()).isNull();
    assertThat(exchange.requestHeader("content-type")).isEqualTo("text/plain");
    assertThat(exchange.requestBodySize()).as("a duplex body is not captured").isZero();
    assertThat(exchange.responseBody()).isEqualTo("ping\npong\n");
    assertThat(seenHeaders.get("traceparent")).startsWith("00-" + traceId + "-");
  }

  private static void write(BufferedSink sink, String text) {
    try {
      sink.writeUtf8(text).flush();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
