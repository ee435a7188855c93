package io.mintaro.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.client.BufferingClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/** What the interceptor does with a response body beyond the contract: streaming, partial reads, replays. */
class MintaroClientHttpRequestInterceptorTest {
  @RegisterExtension
  final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(1024));

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch firstChunkRead = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    // Sends a first chunk, then waits until the client has read it before sending the rest.
    server.createContext("/stream", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write("first;".getBytes(StandardCharsets.UTF_8));
        out.flush();
        boolean read = firstChunkRead.await(5, TimeUnit.SECONDS);
        out.write((read ? "second" : "buffered").getBytes(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    // Sends half of what it announced, then stalls.
    server.createContext("/stall", exchange -> {
      exchange.sendResponseHeaders(200, 100);
      OutputStream out = exchange.getResponseBody();
      out.write("half".getBytes(StandardCharsets.UTF_8));
      out.flush();
      sleep(3000);
      exchange.close();
    });
    server.createContext("/text", exchange -> {
      byte[] body = "0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static RestClient client(ClientHttpRequestFactory factory) {
    return RestClient.builder().requestFactory(factory)
        .requestInterceptor(new MintaroClientHttpRequestInterceptor()).build();
  }

  @Test
  void aStreamingResponseStaysStreaming() throws Exception {
    String body;
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      body = client(new JdkClientHttpRequestFactory()).get().uri(uri("/stream")).exchange((request, response) -> {
        InputStream in = response.getBody();
        byte[] first = in.readNBytes(6);
        firstChunkRead.countDown(); // only reachable if the first chunk came through before the rest was sent
        return new String(first, StandardCharsets.UTF_8) + new String(in.readAllBytes(), StandardCharsets.UTF_8);
      });
    }

    assertThat(body).isEqualTo("first;second");
    RecordedExchange exchange = mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1).outbound().get(0);
    assertThat(exchange.responseBody()).isEqualTo("first;second");
  }

  @Test
  void aBodyTheApplicationStopsReadingIsRecordedAsFarAsItWasReadWhenTheResponseCloses() {
    String traceId;
    String part;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      part = client(new JdkClientHttpRequestFactory()).get().uri(uri("/text")).exchange((request, response) -> {
        String read = new String(response.getBody().readNBytes(4), StandardCharsets.UTF_8);
        assertThat(mintaro.trace(traceId).outbound()).as("not before the response is closed").isEmpty();
        return read;
      });
    }

    assertThat(part).isEqualTo("0123");
    RecordedExchange exchange = mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1).outbound().get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.responseBody()).isEqualTo("0123");
  }

  @Test
  void theExchangeIsRecordedAsSoonAsTheBodyIsReadToItsEnd() throws Exception {
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      client(new JdkClientHttpRequestFactory()).get().uri(uri("/text")).exchange((request, response) -> {
        response.getBody().readAllBytes();
        assertThat(mintaro.trace(traceId).outbound()).as("recorded before the response is closed").hasSize(1);
        return null;
      }, true);
    }
  }

  @Test
  void bytesReadAgainAfterAResetAreKeptOnce() {
    String traceId;
    String read;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      // A buffering factory hands out a stream that supports mark and reset.
      read = client(new BufferingClientHttpRequestFactory(new JdkClientHttpRequestFactory())).get().uri(uri("/text"))
          .exchange((request, response) -> {
            InputStream in = response.getBody();
            assertThat(in.markSupported()).isTrue();
            in.mark(100);
            byte[] peek = in.readNBytes(5);
            in.reset();
            return new String(peek, StandardCharsets.UTF_8) + "|" + new String(in.readAllBytes(), StandardCharsets.UTF_8);
          });
    }

    assertThat(read).isEqualTo("01234|0123456789abcdefghij");
    RecordedExchange exchange = mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1).outbound().get(0);
    assertThat(exchange.responseBody()).isEqualTo("0123456789abcdefghij");
    assertThat(exchange.responseBodySize()).isEqualTo(20);
  }

  @Test
  void aTimeoutInTheMiddleOfTheBodyReachesTheApplicationAndIsRecordedWithWhatCame() {
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory();
    factory.setReadTimeout(Duration.ofMillis(300));
    String traceId;
    StringBuilder seen = new StringBuilder();
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThatThrownBy(() -> client(factory).get().uri(uri("/stall")).exchange((request, response) -> {
        InputStream in = response.getBody();
        byte[] buffer = new byte[100];
        for (int n; (n = in.read(buffer)) > 0; ) {
          seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return null;
      })).isInstanceOf(ResourceAccessException.class).hasCauseInstanceOf(IOException.class);
    }

    assertThat(seen).hasToString("half");
    RecordedTrace trace = mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1);
    RecordedExchange exchange = trace.outbound().get(0);
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.responseBody()).isEqualTo("half");
    assertThat(exchange.error()).isNotBlank();
    assertThat(trace.spans()).filteredOn(s -> s.kind().equals("client")).singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo("failed"));
  }

  @Test
  void anExceptionFromFurtherDownTheChainReachesTheApplicationUnchanged() {
    IOException refused = new IOException("no route to the payments service");
    RestClient client = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory())
        .requestInterceptor(new MintaroClientHttpRequestInterceptor())
        .requestInterceptor((request, body, execution) -> {
          throw refused;
        }).build();
    String traceId;
    try (Span root = Mintaro.startSpan("root")) {
      traceId = root.traceId();
      assertThatThrownBy(() -> client.get().uri(uri("/text")).retrieve().toBodilessEntity())
          .rootCause().isSameAs(refused);
    }

    RecordedExchange exchange = mintaro.awaitTrace(traceId, t -> t.outbound().size() == 1).outbound().get(0);
    assertThat(exchange.error()).contains("no route to the payments service");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
