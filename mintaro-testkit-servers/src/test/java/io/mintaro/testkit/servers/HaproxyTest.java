package io.mintaro.testkit.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HaproxyTest {
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();
  private final List<HttpServer> backends = new ArrayList<>();

  @AfterEach
  void stopBackends() {
    backends.forEach(b -> b.stop(0));
  }

  @Test
  void requests_through_haproxy_reach_both_backends() throws Exception {
    HttpServer alpha = backend("alpha", new AtomicInteger(200));
    HttpServer beta = backend("beta", new AtomicInteger(200));

    try (Haproxy lb = Haproxy.start(List.of(alpha.getAddress(), beta.getAddress()))) {
      assertThat(lb.url()).isEqualTo("http://127.0.0.1:" + lb.port());
      lb.awaitStatus("s1", "UP", Duration.ofSeconds(5));
      lb.awaitStatus("s2", "UP", Duration.ofSeconds(5));

      Set<String> answered = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        answered.add(who(lb));
      }

      assertThat(answered).containsExactlyInAnyOrder("alpha", "beta");
      assertThat(Files.readString(lb.configFile()))
          .contains("balance roundrobin", "option httpchk GET /health", "inter 500ms fall 2 rise 1",
              "timeout server 60000ms", "timeout client 60000ms", "timeout connect 1000ms",
              "retries 2", "option redispatch")
          .doesNotContain("http-server-close");
    }
  }

  @Test
  void when_a_backend_stops_every_request_goes_to_the_other_within_a_few_seconds() throws Exception {
    HttpServer alpha = backend("alpha", new AtomicInteger(200));
    HttpServer beta = backend("beta", new AtomicInteger(200));
    try (Haproxy lb = Haproxy.start(List.of(alpha.getAddress(), beta.getAddress()))) {
      lb.awaitStatus("s1", "UP", Duration.ofSeconds(5));

      alpha.stop(0);

      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int inARow = 0;
      while (inARow < 10) {
        assertThat(System.nanoTime()).as("10 answers from beta in a row within 5 s").isLessThan(deadline);
        inARow = "beta".equals(whoOrFailure(lb)) ? inARow + 1 : 0;
      }
      lb.awaitStatus("s1", "DOWN", Duration.ofSeconds(5));
      assertThat(lb.serverStatus()).containsEntry("s2", "UP");
    }
  }

  @Test
  void a_backend_failing_the_configured_check_path_gets_no_requests() throws Exception {
    AtomicInteger alphaReady = new AtomicInteger(200);
    HttpServer alpha = backend("alpha", alphaReady);
    HttpServer beta = backend("beta", new AtomicInteger(200));
    try (Haproxy lb = Haproxy.builder()
        .server("alpha", alpha.getAddress())
        .server("beta", beta.getAddress())
        .checkPath("/ready")
        .checkInterval(Duration.ofMillis(200))
        .serverTimeout(Duration.ofSeconds(45))
        .start()) {
      lb.awaitStatus("alpha", "UP", Duration.ofSeconds(5));

      alphaReady.set(503);
      lb.awaitStatus("alpha", "DOWN", Duration.ofSeconds(5));

      for (int i = 0; i < 6; i++) {
        assertThat(who(lb)).isEqualTo("beta");
      }
      assertThat(Files.readString(lb.configFile()))
          .contains("option httpchk GET /ready", "inter 200ms", "timeout server 45000ms");

      alphaReady.set(200);
      lb.awaitStatus("alpha", "UP", Duration.ofSeconds(5));
    }
  }

  @Test
  void close_stops_haproxy_and_deletes_its_directory() throws Exception {
    HttpServer alpha = backend("alpha", new AtomicInteger(200));
    Haproxy lb = Haproxy.start(List.of(alpha.getAddress()));
    Path config = lb.configFile();
    assertThat(who(lb)).isEqualTo("alpha");

    lb.close();

    assertThat(lb.running()).isFalse();
    assertThat(Os.accepts(lb.port())).isFalse();
    assertThat(config.getParent()).doesNotExist();
  }

  @Test
  void without_haproxy_the_error_names_the_debian_package() {
    assertThatThrownBy(() -> Haproxy.builder()
        .servers(List.of(new InetSocketAddress("127.0.0.1", 9)))
        .binary(Path.of("/nonexistent/haproxy"))
        .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("`haproxy`");
  }

  /** A backend answering {@code /who} with its name, and its health paths with {@code health}. */
  private HttpServer backend(String name, AtomicInteger health) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.createContext("/health", exchange -> answer(exchange, health.get(), "ok"));
    server.createContext("/ready", exchange -> answer(exchange, health.get(), "ready?"));
    server.createContext("/who", exchange -> answer(exchange, 200, name));
    server.start();
    backends.add(server);
    return server;
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private String who(Haproxy lb) throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(lb.url() + "/who")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private String whoOrFailure(Haproxy lb) {
    try {
      return who(lb);
    } catch (Exception | AssertionError e) {
      return "failed: " + e;
    }
  }
}
