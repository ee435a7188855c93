package io.mintaro.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.Header;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The filter records each request as one inbound exchange: method, full URL, status, headers and
 * both bodies, whichever way the application reads and writes them, with secrets redacted
 * before they are stored and bodies cut at the configured limit. Meanwhile the application and
 * its client see exactly what they would see without the filter. Recording bodies of any size
 * and redacting secrets at all is specified for every server integration by
 * {@link MintaroFilterContractTest}; this class covers how the filter does it with the servlet API.
 */
class MintaroFilterExchangeTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";
  private static final int MAX_BODY = 1024;

  /** The application: each route reads and writes its bodies in its own way. */
  private static final Map<String, TestServer.Handler> ROUTES = Map.of(
      "/login", (req, resp) -> {
        byte[] body = req.getInputStream().readAllBytes();
        resp.setStatus(201);
        resp.setContentType("application/json");
        resp.setHeader("Set-Cookie", "session=s3cr3t");
        resp.getOutputStream().write(("{\"ok\":true,\"read\":" + body.length + ",\"token\":\"t-123\"}")
            .getBytes(StandardCharsets.UTF_8));
      },
      "/echo-reader", (req, resp) -> {
        String body;
        try (BufferedReader reader = req.getReader()) {
          body = reader.lines().collect(Collectors.joining("\n"));
        }
        resp.setContentType("text/plain; charset=utf-8");
        PrintWriter writer = resp.getWriter();
        writer.print("got: " + body); // not flushed: the container does that after the filter
      },
      "/echo-bytes", (req, resp) -> {
        InputStream in = req.getInputStream();
        int n = 0;
        while (in.read() >= 0) { // one byte at a time
          n++;
        }
        resp.setContentType("text/plain");
        resp.getOutputStream().print("read " + n + " bytes");
      },
      "/binary", (req, resp) -> {
        resp.setContentType("application/octet-stream");
        resp.getOutputStream().write(allByteValues());
      },
      "/large", (req, resp) -> {
        byte[] body = req.getInputStream().readAllBytes();
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().print("y".repeat(3000) + " after reading " + body.length);
      },
      "/empty", (req, resp) -> resp.setStatus(HttpServletResponse.SC_NO_CONTENT));

  @RegisterExtension
  final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(MAX_BODY));

  private TestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theExchangeIsRecordedWithMethodFullUrlStatusAndHeadersWithSecretsRedacted() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    String json = "{\"user\":\"ann\",\"password\":\"hunter2\"}";
    server.send(HttpRequest.newBuilder(server.uri("/login?user=ann&password=hunter2&api_token=abc"))
        .header("traceparent", TRACEPARENT)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer secret-token")
        .header("Cookie", "session=abc")
        .header("X-Request-Id", "r-1")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());

    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.direction()).isEqualTo("inbound");
    assertThat(message.method()).isEqualTo("POST");
    assertThat(message.url()).isEqualTo("http://" + server.authority()
        + "/login?user=ann&password=%5BREDACTED%5D&api_token=%5BREDACTED%5D");
    assertThat(message.status()).isEqualTo(201);
    assertThat(message.error()).isNull();
    assertThat(message.requestHeaders())
        .contains(new Header("authorization", "[REDACTED]"), new Header("cookie", "[REDACTED]"),
            new Header("content-type", "application/json"), new Header("x-request-id", "r-1"),
            new Header("host", server.authority()), new Header("traceparent", TRACEPARENT))
        .noneMatch(h -> h.value().contains("secret-token") || h.value().contains("session=abc"));
    assertThat(message.responseHeaders())
        .contains(new Header("set-cookie", "[REDACTED]"), new Header("x-mintaro-callee", mintaro.sdk().agentId()))
        .anySatisfy(h -> assertThat(h.name()).isEqualTo("content-type"));
  }

  @Test
  void jsonPasswordAndTokenFieldsAreRedactedInBothBodies() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    String json = "{\"user\":\"ann\",\"password\":\"hunter2\"}";
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/login"))
        .header("traceparent", TRACEPARENT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).response();

    assertThat(response.body()).as("the client gets the real body").contains("\"token\":\"t-123\"");
    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.requestBody()).isEqualTo("{\"user\":\"ann\",\"password\":\"[REDACTED]\"}");
    assertThat(message.requestBodyBase64()).as("kept as UTF-8 text").isFalse();
    assertThat(message.requestBodyTruncated()).isFalse();
    assertThat(message.responseBody())
        .isEqualTo("{\"ok\":true,\"read\":" + json.length() + ",\"token\":\"[REDACTED]\"}");
    assertThat(message.responseBodyTruncated()).isFalse();
  }

  @Test
  void redactionNeverMakesACompleteBodyLookTruncated() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    String longSecret = "{\"user\":\"ann\",\"password\":\"correct horse battery staple\"}";
    server.send(HttpRequest.newBuilder(server.uri("/login")).header("traceparent", TRACEPARENT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(longSecret)).build(), HttpResponse.BodyHandlers.ofString());

    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.requestBody()).isEqualTo("{\"user\":\"ann\",\"password\":\"[REDACTED]\"}");
    assertThat(message.requestBodyTruncated()).isFalse();
    assertThat(message.responseBody())
        .isEqualTo("{\"ok\":true,\"read\":" + longSecret.length() + ",\"token\":\"[REDACTED]\"}");
    assertThat(message.responseBodyTruncated()).isFalse();
    assertThat(message.requestBodySize()).as("the size of the body as recorded")
        .isEqualTo(message.requestBody().length());
    assertThat(message.responseBodySize()).isEqualTo(message.responseBody().length());
  }

  @Test
  void aRequestBodyReadThroughGetReaderAndAResponseWrittenThroughGetWriterAreRecorded() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    String text = "Grüße aus Köln\nzweite Zeile";
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/echo-reader"))
        .header("traceparent", TRACEPARENT).header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString()).response();

    assertThat(response.body()).isEqualTo("got: " + text);
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.requestBody()).isEqualTo(text);
    assertThat(message.requestBodyBase64()).isFalse();
    assertThat(message.requestBodySize()).isEqualTo(bytes);
    assertThat(message.responseBody()).isEqualTo("got: " + text);
    assertThat(message.responseBodyBase64()).isFalse();
    assertThat(message.responseBodySize()).isEqualTo(bytes + 5);
  }

  @Test
  void aRequestBodyReadByteByByteIsRecorded() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    server.send(HttpRequest.newBuilder(server.uri("/echo-bytes")).header("traceparent", TRACEPARENT)
        .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2")).build(), HttpResponse.BodyHandlers.ofString());

    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.requestBody()).isEqualTo("a=1&b=2");
    assertThat(message.responseBody()).isEqualTo("read 7 bytes");
  }

  @Test
  void aBinaryResponseWrittenThroughGetOutputStreamIsRecordedAsBase64() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    HttpResponse<byte[]> response = server.send(HttpRequest.newBuilder(server.uri("/binary"))
        .header("traceparent", TRACEPARENT).build(), HttpResponse.BodyHandlers.ofByteArray()).response();

    assertThat(response.body()).isEqualTo(allByteValues());
    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.responseBodyBase64()).isTrue();
    assertThat(message.responseBodySize()).isEqualTo(256);
    assertThat(message.responseBodyTruncated()).isFalse();
    assertThat(message.responseBodyBytes()).isEqualTo(allByteValues());
  }

  @Test
  void bodiesAreCutAtMaxBodySizeAndKeepTheirFullSize() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    String request = "x".repeat(2000);
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/large"))
        .header("traceparent", TRACEPARENT).POST(HttpRequest.BodyPublishers.ofString(request)).build(),
        HttpResponse.BodyHandlers.ofString()).response();

    String expectedResponse = "y".repeat(3000) + " after reading 2000";
    assertThat(response.body()).as("the application still reads and writes everything").isEqualTo(expectedResponse);
    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.requestBody()).isEqualTo("x".repeat(MAX_BODY));
    assertThat(message.requestBodySize()).isEqualTo(2000);
    assertThat(message.requestBodyTruncated()).isTrue();
    assertThat(message.responseBody()).isEqualTo("y".repeat(MAX_BODY));
    assertThat(message.responseBodySize()).isEqualTo(expectedResponse.length());
    assertThat(message.responseBodyTruncated()).isTrue();
  }

  @Test
  void aRequestWithoutBodiesIsRecordedWithEmptyBodies() throws Exception {
    server = TestServer.start(mintaro.sdk(), ROUTES);
    HttpResponse<String> response = server.get("/empty?page=2", "traceparent", TRACEPARENT);

    assertThat(response.statusCode()).isEqualTo(204);
    RecordedExchange message = onlyMessage(TRACE);
    assertThat(message.method()).isEqualTo("GET");
    assertThat(message.url()).isEqualTo("http://" + server.authority() + "/empty?page=2");
    assertThat(message.status()).isEqualTo(204);
    assertThat(message.requestBody()).isEmpty();
    assertThat(message.requestBodySize()).isZero();
    assertThat(message.responseBody()).isEmpty();
    assertThat(message.responseBodySize()).isZero();
  }

  @Test
  void theApplicationReadsTheSameRequestWithAndWithoutTheFilter() throws Exception {
    TestServer.Handler describe = (req, resp) -> {
      String text;
      try (BufferedReader reader = req.getReader()) {
        text = reader.lines().collect(Collectors.joining("\n"));
      }
      resp.setContentType("text/plain;charset=utf-8");
      resp.getWriter().print(text.codePoints().mapToObj(Integer::toHexString).collect(Collectors.joining(" ")));
    };
    Map<String, TestServer.Handler> routes = Map.of("/describe", describe);
    server = TestServer.start(mintaro.sdk(), routes);
    try (TestServer plain = TestServer.startWithoutMintaro(routes)) {
      for (String contentType : List.of("text/plain", "text/plain; charset=utf-8", "text/plain; charset=iso-8859-1",
          "application/json")) {
        HttpRequest.Builder request = HttpRequest.newBuilder().header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString("café ☃", StandardCharsets.UTF_8));
        String with = server.send(request.copy().uri(server.uri("/describe")).build(),
            HttpResponse.BodyHandlers.ofString()).response().body();
        String without = plain.send(request.copy().uri(plain.uri("/describe")).build(),
            HttpResponse.BodyHandlers.ofString()).response().body();

        assertThat(with).as(contentType).isEqualTo(without);
      }
    }
  }

  @Test
  void theClientGetsTheSameResponseWithAndWithoutTheFilter() throws Exception {
    Map<String, TestServer.Handler> routes = Map.of(
        "/writer-default-charset", (req, resp) -> {
          resp.setContentType("text/plain");
          resp.getWriter().print("caf\u00e9");
        },
        "/writer-utf8", (req, resp) -> {
          resp.setCharacterEncoding("UTF-8");
          resp.setContentType("text/html");
          resp.getWriter().print("<p>Grüße \u2603</p>");
        },
        "/writer-flushed", (req, resp) -> {
          resp.setContentType("text/plain;charset=utf-8");
          resp.getWriter().print("first ");
          resp.flushBuffer();
          resp.getWriter().print("second");
        },
        "/stream", (req, resp) -> {
          resp.setContentType("application/octet-stream");
          resp.setContentLength(3);
          resp.getOutputStream().write(new byte[] {1, 2, 3});
        },
        "/writer-then-throw", (req, resp) -> {
          resp.setContentType("text/plain;charset=utf-8");
          resp.getWriter().print("half a response");
          throw new IllegalStateException("boom");
        },
        "/writer-then-stream", (req, resp) -> {
          resp.getWriter().print("text");
          resp.getOutputStream().write('!'); // not allowed: the container refuses it
        });
    server = TestServer.start(mintaro.sdk(), routes);
    try (TestServer plain = TestServer.startWithoutMintaro(routes)) {
      for (String path : routes.keySet()) {
        HttpResponse<byte[]> with = server.send(HttpRequest.newBuilder(server.uri(path)).build(),
            HttpResponse.BodyHandlers.ofByteArray()).response();
        HttpResponse<byte[]> without = plain.send(HttpRequest.newBuilder(plain.uri(path)).build(),
            HttpResponse.BodyHandlers.ofByteArray()).response();

        assertThat(with.statusCode()).as(path).isEqualTo(without.statusCode());
        for (String header : List.of("content-type", "content-length", "transfer-encoding")) {
          assertThat(with.headers().firstValue(header)).as(path + " " + header)
              .isEqualTo(without.headers().firstValue(header));
        }
        if (with.statusCode() < 400) { // error pages name the servlet, which differs
          assertThat(with.body()).as(path).isEqualTo(without.body());
        }
      }
    }
  }

  private RecordedExchange onlyMessage(String traceId) {
    List<RecordedExchange> exchanges = mintaro.trace(traceId).exchanges();
    assertThat(exchanges).hasSize(1);
    return exchanges.get(0);
  }

  private static byte[] allByteValues() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }
}
