package io.mintaro.collector.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mintaro.collector.export.zipkin.ZipkinExporter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an HTTP export target's answers are classified: success, retry later, or never (dead letter).
 * The targets are real loopback servers that misbehave on purpose.
 */
class ExportTargetFailuresTest {
    static final ExportedTrace TRACE = new ExportedTrace("4bf92f3577b34da6a3ce929d0e0e4736", "error", "0123456789abcdef",
            List.of("orders"), List.of(new ExportedTrace.Span("orders", "00f067aa0ba902b7", null, "GET /", "server",
                    "succeeded", 1_000, 2_000L, Map.of(), null, List.of())), List.of(), List.of());

    HttpServer http;
    ServerSocket raw;

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.stop(0);
        }
        if (raw != null) {
            raw.close();
        }
    }

    URI answering(int status, String body, long delayMs, AtomicReference<String> received) throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            if (received != null) {
                received.set(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                        + ex.getRequestHeaders().getFirst("Content-Type") + " " + new String(in, StandardCharsets.UTF_8));
            }
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            } catch (java.io.IOException closedByClient) {
                // The exporter gave up waiting.
            }
        });
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        http.start();
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    @Test
    void aTwoHundredIsSuccessAndTheBodyIsZipkinJsonAtTheSpansPath() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        try (ZipkinExporter zipkin = new ZipkinExporter(answering(202, "", 0, received), 2_000)) {
            zipkin.export(List.of(TRACE));
        }
        assertThat(received.get()).startsWith("POST /api/v2/spans application/json [{\"traceId\":\"4bf92f35");
    }

    @Test
    void aFourHundredWillNeverSucceedAndIsNotRetried() throws Exception {
        try (ZipkinExporter zipkin = new ZipkinExporter(answering(400, "malformed span", 0, null), 2_000)) {
            assertThatThrownBy(() -> zipkin.export(List.of(TRACE))).isInstanceOfSatisfying(ExportException.class,
                    e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("answered 400: malformed span");
                    });
        }
    }

    @Test
    void aFiveHundredOrTooManyRequestsIsRetried() throws Exception {
        for (int status : new int[] {500, 503, 429, 408}) {
            try (ZipkinExporter zipkin = new ZipkinExporter(answering(status, "busy", 0, null), 2_000)) {
                assertThatThrownBy(() -> zipkin.export(List.of(TRACE))).isInstanceOfSatisfying(ExportException.class,
                        e -> {
                            assertThat(e.retryable()).as("status %d", status).isTrue();
                            assertThat(e.getMessage()).contains("answered " + status);
                        });
            }
            stop();
        }
    }

    @Test
    void aTargetThatDoesNotAnswerInTimeIsRetried() throws Exception {
        try (ZipkinExporter zipkin = new ZipkinExporter(answering(202, "", 3_000, null), 300)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> zipkin.export(List.of(TRACE))).isInstanceOfSatisfying(ExportException.class,
                    e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).contains("no answer within 300 ms");
                    });
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500);
        }
    }

    @Test
    void aTargetThatTricklesItsAnswerIsCutOffAtTheTimeoutAndRetried() throws Exception {
        raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = raw.accept()) {
                s.getInputStream().read(new byte[65_536]);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 202 Accepted\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 1000; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (java.io.IOException | InterruptedException ignored) {
                // The exporter hung up.
            }
        });
        t.setDaemon(true);
        t.start();
        try (ZipkinExporter zipkin = new ZipkinExporter(URI.create("http://127.0.0.1:" + raw.getLocalPort()), 500)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> zipkin.export(List.of(TRACE))).isInstanceOfSatisfying(ExportException.class,
                    e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).contains("within 500 ms");
                    });
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
        }
    }

    @Test
    void aTargetThatAnswersGarbageIsRetried() throws Exception {
        raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = raw.accept()) {
                InputStream in = s.getInputStream();
                in.read(new byte[8192]);
                s.getOutputStream().write("\u0000\u0001 not HTTP at all \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (java.io.IOException ignored) {
                // Test over.
            }
        });
        t.setDaemon(true);
        t.start();
        try (ZipkinExporter zipkin = new ZipkinExporter(URI.create("http://127.0.0.1:" + raw.getLocalPort()), 2_000)) {
            assertThatThrownBy(() -> zipkin.export(List.of(TRACE))).isInstanceOfSatisfying(ExportException.class,
                    e -> assertThat(e.retryable()).isTrue());
        }
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ZipkinExporter zipkin = new ZipkinExporter(URI.create("http://127.0.0.1:" + port), 2_000)) {
            assertThatThrownBy(() -> zipkin.export(List.of(TRACE))).isInstanceOfSatisfying(ExportException.class,
                    e -> assertThat(e.retryable()).isTrue());
        }
    }
}
