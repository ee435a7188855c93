package io.mintaro.servlet;

import static io.mintaro.internal.agent.RingDump.list;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import io.mintaro.internal.agent.RingDump;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The filter records each request as one inbound exchange: method, full URL, status, headers and
 * both bodies, whichever way the application reads and writes them, with secrets redacted
 * before they are stored and bodies cut at the configured limit. Meanwhile the application and
 * its client see exactly what they would see without the filter.
 */
class MintaroFilterExchangeTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";
  private static final int MAX_BODY = 64;

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
        resp.getWriter().print("y".repeat(1000) + " after reading " + body.length);
      },
      "/empty", (req, resp) -> resp.setStatus(HttpServletResponse.SC_NO_CONTENT));

  private MintaroSdk sdk = MintaroSdk.builder().service("orders").maxBodySize(MAX_BODY).build();
  private TestServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    sdk.close();
    TestSdks.clearContext();
  }

  @Test
  void theExchangeIsRecordedWithMethodFullUrlStatusAndHeadersWithSecretsRedacted() throws Exception {
    server = TestServer.start(sdk, ROUTES);
    String json = "{\"user\":\"ann\",\"password\":\"hunter2\"}";
    server.send(HttpRequest.newBuilder(server.uri("/login?user=ann&password=hunter2&api_token=abc"))
        .header("traceparent", TRACEPARENT)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer secret-token")
        .header("Cookie", "session=abc")
        .header("X-Request-Id", "r-1")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());

    Map<String, Object> message = onlyMessage(TRACE);
    assertThat(message).containsEntry("direction", "inbound").containsEntry("method", "POST")
        .containsEntry("url", "http://" + server.authority()
            + "/login?user=ann&password=%5BREDACTED%5D&api_token=%5BREDACTED%5D")
        .containsEntry("status", 201L).containsEntry("error", null);
    assertThat(headers(message, "requestHeaders"))
        .contains(List.of("authorization", "[REDACTED]"), List.of("cookie", "[REDACTED]"),
            List.of("content-type", "application/json"), List.of("x-request-id", "r-1"),
            List.of("host", server.authority()), List.of("traceparent", TRACEPARENT))
        .noneMatch(h -> h.get(1).contains("secret-token") || h.get(1).contains("session=abc"));
    assertThat(headers(message, "responseHeaders"))
        .contains(List.of("set-cookie", "[REDACTED]"), List.of("x-mintaro-callee", sdk.agentId()))
        .anySatisfy(h -> assertThat(h.get(0)).isEqualTo("content-type"));
  }

  @Test
  void jsonPasswordAndTokenFieldsAreRedactedInBothBodies() throws Exception {
    server = TestServer.start(sdk, ROUTES);
    String json = "{\"user\":\"ann\",\"password\":\"hunter2\"}";
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/login"))
        .header("traceparent", TRACEPARENT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).response();

    assertThat(response.body()).as("the client gets the real body").contains("\"token\":\"t-123\"");
    assertThat(onlyMessage(TRACE))
        .containsEntry("requestBody", "{\"user\":\"ann\",\"password\":\"[REDACTED]\"}")
        .containsEntry("requestBodyEncoding", "utf8")
        .containsEntry("requestBodyTruncated", false)
        .containsEntry("responseBody", "{\"ok\":true,\"read\":" + json.length() + ",\"token\":\"[REDACTED]\"}")
        .containsEntry("responseBodyTruncated", false);
  }

  @Test
  void redactionNeverMakesACompleteBodyLookTruncated() throws Exception {
    server = TestServer.start(sdk, ROUTES);
    String longSecret = "{\"user\":\"ann\",\"password\":\"correct horse battery staple\"}";
    server.send(HttpRequest.newBuilder(server.uri("/login")).header("traceparent", TRACEPARENT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(longSecret)).build(), HttpResponse.BodyHandlers.ofString());

    Map<String, Object> message = onlyMessage(TRACE);
    assertThat(message).containsEntry("requestBody", "{\"user\":\"ann\",\"password\":\"[REDACTED]\"}")
        .containsEntry("requestBodyTruncated", false)
        .containsEntry("responseBody", "{\"ok\":true,\"read\":" + longSecret.length() + ",\"token\":\"[REDACTED]\"}")
        .containsEntry("responseBodyTruncated", false);
    assertThat(message.get("requestBodySize")).as("the size of the body as recorded")
        .isEqualTo((long) ((String) message.get("requestBody")).length());
    assertThat(message.get("responseBodySize")).isEqualTo((long) ((String) message.get("responseBody")).length());
  }

  @Test
  void aRequestBodyReadThroughGetReaderAndAResponseWrittenThroughGetWriterAreRecorded() throws Exception {
    server = TestServer.start(sdk, ROUTES);
    String text = "Grüße aus Köln\nzweite Zeile";
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/echo-reader"))
        .header("traceparent", TRACEPARENT).header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString()).response();

    assertThat(response.body()).isEqualTo("got: " + text);
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    assertThat(onlyMessage(TRACE))
        .containsEntry("requestBody", text).containsEntry("requestBodyEncoding", "utf8")
        .containsEntry("requestBodySize", (long) bytes)
        .containsEntry("responseBody", "got: " + text).containsEntry("responseBodyEncoding", "utf8")
        .containsEntry("responseBodySize", (long) bytes + 5);
  }

  @Test
  void aRequestBodyReadByteByByteIsRecorded() throws Exception {
    server = TestServer.start(sdk, ROUTES);
    server.send(HttpRequest.newBuilder(server.uri("/echo-bytes")).header("traceparent", TRACEPARENT)
        .POST(HttpRequest.BodyPublishers.ofString("a=1&b=2")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(onlyMessage(TRACE)).containsEntry("requestBody", "a=1&b=2")
        .containsEntry("responseBody", "read 7 bytes");
  }

  @Test
  void aBinaryResponseWrittenThroughGetOutputStreamIsRecordedAsBase64() throws Exception {
    sdk.close();
    sdk = MintaroSdk.builder().service("orders").maxBodySize(1024).build();
    server = TestServer.start(sdk, ROUTES);
    HttpResponse<byte[]> response = server.send(HttpRequest.newBuilder(server.uri("/binary"))
        .header("traceparent", TRACEPARENT).build(), HttpResponse.BodyHandlers.ofByteArray()).response();

    assertThat(response.body()).isEqualTo(allByteValues());
    Map<String, Object> message = onlyMessage(TRACE);
    assertThat(message).containsEntry("responseBodyEncoding", "base64").containsEntry("responseBodySize", 256L)
        .containsEntry("responseBodyTruncated", false);
    assertThat(Base64.getDecoder().decode((String) message.get("responseBody"))).isEqualTo(allByteValues());
  }

  @Test
  void bodiesAreCutAtMaxBodySizeAndKeepTheirFullSize() throws Exception {
    server = TestServer.start(sdk, ROUTES);
    String request = "x".repeat(500);
    HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/large"))
        .header("traceparent", TRACEPARENT).POST(HttpRequest.BodyPublishers.ofString(request)).build(),
        HttpResponse.BodyHandlers.ofString()).response();

    String expectedResponse = "y".repeat(1000) + " after reading 500";
    assertThat(response.body()).as("the application still reads and writes everything").isEqualTo(expectedResponse);
    assertThat(onlyMessage(TRACE))
        .containsEntry("requestBody", "x".repeat(MAX_BODY)).containsEntry("requestBodySize", 500L)
        .containsEntry("requestBodyTruncated", true)
        .containsEntry("responseBody", "y".repeat(MAX_BODY))
        .containsEntry("responseBodySize", (long) expectedResponse.length())
        .containsEntry("responseBodyTruncated", true);
  }

  @Test
  void aRequestWithoutBodiesIsRecordedWithEmptyBodies() throws Exception {
    server = TestServer.start(sdk, ROUTES);
    HttpResponse<String> response = server.get("/empty?page=2", "traceparent", TRACEPARENT);

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(onlyMessage(TRACE)).containsEntry("method", "GET")
        .containsEntry("url", "http://" + server.authority() + "/empty?page=2").containsEntry("status", 204L)
        .containsEntry("requestBody", "").containsEntry("requestBodySize", 0L)
        .containsEntry("responseBody", "").containsEntry("responseBodySize", 0L);
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
    server = TestServer.start(sdk, routes);
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
    server = TestServer.start(sdk, routes);
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

  private Map<String, Object> onlyMessage(String traceId) {
    List<Map<String, Object>> messages = list(RingDump.trace(sdk, traceId), "messages");
    assertThat(messages).hasSize(1);
    return messages.get(0);
  }

  @SuppressWarnings("unchecked")
  private static List<List<String>> headers(Map<String, Object> message, String which) {
    return (List<List<String>>) message.get(which);
  }

  private static byte[] allByteValues() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return bytes;
  }
}
