package io.mintaro.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the collector is not there, not a collector, or too slow: exit 4 with one line on stderr. */
class BadCollectorTest {
    @TempDir
    Path dir;
    HttpServer server;
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    Cli cli(String url) {
        return new Cli(dir).env("MINTARO_COLLECTOR", url).env("MINTARO_API_KEY", "test-key-0123456789");
    }

    String serve(int status, String contentType, String body, boolean hang) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            if (hang) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void noCollectorListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli.Result r = cli("http://127.0.0.1:" + port).run("traces");
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).startsWith("mintaro: collector http://127.0.0.1:" + port + " unreachable").hasLineCount(1);
        assertThat(r.out()).isEmpty();

        Cli.Result login = new Cli(dir).run("login", "--collector", "http://127.0.0.1:" + port, "--key", "k-0123456789");
        assertThat(login.code()).isEqualTo(4);
        assertThat(login.err()).hasLineCount(1);
    }

    @Test
    void aServerThatAnswersGarbageIsNotACollector() throws Exception {
        String url = serve(200, "text/html", "<html>welcome to nginx</html>", false);
        Cli.Result r = cli(url).run("groups");
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("not JSON").hasLineCount(1);
    }

    @Test
    void aServerErrorWithJsonExitsWith5() throws Exception {
        String url = serve(503, "application/json", "{\"error\": \"database unavailable\"}", false);
        Cli.Result r = cli(url).run("services");
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).isEqualTo("mintaro: collector error: database unavailable (HTTP 503)\n");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        String url = serve(200, "application/json", "{}", true);
        long start = System.nanoTime();
        Cli.Result r = cli(url).run("traces", "--timeout", "0.5");
        assertThat(r.code()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("did not answer within 500 ms").hasLineCount(1);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void tailKeepsFollowingThroughAnOutage() throws Exception {
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int n = requests.incrementAndGet();
            String body = n == 1 ? "{\"traces\": []}"
                    : n == 2 ? "{\"error\": \"database unavailable\"}"
                    : "{\"traces\": [{\"traceId\": \"5c000000000000000000000000000001\", \"status\": \"error\"}]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(n == 2 ? 503 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        Cli.Result r = cli("http://127.0.0.1:" + server.getAddress().getPort())
                .run("tail", "--count", "1", "--interval", "50");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("5c000000000000000000000000000001");
        assertThat(r.err()).contains("database unavailable (HTTP 503) (still trying)").contains("answers again");
    }

    @Test
    void notSignedInExitsWith3() {
        Cli.Result r = new Cli(dir).run("groups");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).hasLineCount(1).contains("mintaro login");
    }
}
