package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessing API keys is limited per client address ({@code MINTARO_LOGIN_MAX_FAILURES} wrong keys
 * per {@code MINTARO_LOGIN_WINDOW_MS}): sign-ins, and bearer keys on {@code /api} and
 * {@code /agent}. The clients are told apart by their source address: Linux routes the whole of
 * 127.0.0.0/8 to loopback, so each client here binds its own (127.0.0.2, 127.0.0.3...).
 */
class WrongKeyLimitTest {
    private static final String ALICE = "127.0.0.2";
    private static final String BOB = "127.0.0.3";

    @TempDir
    Path dir;
    private TestCollector collector;

    @AfterEach
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void afterTooManyWrongKeysAClientIsAnswered429WithRetryAfterEvenForTheRightKey() throws IOException {
        start(b -> b.loginMaxFailures(3).loginWindowMs(60_000));

        for (int i = 0; i < 3; i++) {
            assertThat(signIn(ALICE, "wrong-key-" + i).status).isEqualTo(401);
        }
        Answer limited = signIn(ALICE, "wrong-key-3");
        Answer rightKey = signIn(ALICE, TestCollector.KEY);

        assertThat(limited.status).isEqualTo(429);
        assertThat(Integer.parseInt(limited.header("retry-after"))).isBetween(1, 60);
        assertThat(limited.body).contains("too many wrong API keys");
        assertThat(rightKey.status).as("a correct key would tell a guesser it found one").isEqualTo(429);
    }

    @Test
    void otherClientsAreNotAffected() throws IOException {
        start(b -> b.loginMaxFailures(3).loginWindowMs(60_000));
        for (int i = 0; i < 4; i++) {
            signIn(ALICE, "wrong-key-" + i);
        }

        assertThat(signIn(BOB, TestCollector.KEY).status).isEqualTo(204);
        assertThat(signIn(BOB, "wrong-key").status).isEqualTo(401);
    }

    @Test
    void afterTheWindowTheRightKeyWorksAgain() throws Exception {
        start(b -> b.loginMaxFailures(2).loginWindowMs(1_000));
        signIn(ALICE, "wrong-key-1");
        signIn(ALICE, "wrong-key-2");
        Answer limited = signIn(ALICE, TestCollector.KEY);
        assertThat(limited.status).isEqualTo(429);

        Thread.sleep(Long.parseLong(limited.header("retry-after")) * 1000 + 100);

        assertThat(signIn(ALICE, TestCollector.KEY).status).isEqualTo(204);
    }

    @Test
    void wrongBearerKeysOnTheApiAndAgentEndpointsCountToo() throws IOException {
        start(b -> b.loginMaxFailures(3).loginWindowMs(60_000));

        assertThat(request(ALICE, "GET", "/api/traces", null, Map.of("Authorization", "Bearer wrong-key-1")).status)
                .isEqualTo(401);
        assertThat(request(ALICE, "GET", "/api/traces", null, Map.of("Authorization", "Bearer wrong-key-2")).status)
                .isEqualTo(401);
        assertThat(request(ALICE, "POST", "/agent/v1/register", "{}",
                Map.of("Authorization", "Bearer wrong-key-3", "Mintaro-Protocol", "1")).status).isEqualTo(401);

        assertThat(request(ALICE, "GET", "/api/traces", null, Map.of("Authorization", "Bearer " + TestCollector.KEY))
                .status).isEqualTo(429);
        assertThat(request(ALICE, "POST", "/agent/v1/register", "{}",
                Map.of("Authorization", "Bearer " + TestCollector.KEY, "Mintaro-Protocol", "1")).status).isEqualTo(429);
        assertThat(signIn(ALICE, TestCollector.KEY).status).isEqualTo(429);
        assertThat(request(BOB, "GET", "/api/traces", null, Map.of("Authorization", "Bearer " + TestCollector.KEY))
                .status).isEqualTo(200);
    }

    @Test
    void zeroFailuresAllowedMeansNoLimit() throws IOException {
        start(b -> b.loginMaxFailures(0));

        for (int i = 0; i < 30; i++) {
            assertThat(signIn(ALICE, "wrong-key-" + i).status).isEqualTo(401);
        }
        assertThat(signIn(ALICE, TestCollector.KEY).status).isEqualTo(204);
    }

    @Test
    void byDefaultTenWrongKeysPerMinuteAreAllowed() throws IOException {
        start(b -> { });

        for (int i = 0; i < 10; i++) {
            assertThat(signIn(ALICE, "wrong-key-" + i).status).isEqualTo(401);
        }
        Answer limited = signIn(ALICE, "wrong-key-10");

        assertThat(limited.status).isEqualTo(429);
        assertThat(Integer.parseInt(limited.header("retry-after"))).isBetween(50, 60);
    }

    private void start(Consumer<CollectorConfig.Builder> limit) {
        collector = TestCollector.start(dir, limit);
    }

    private Answer signIn(String client, String key) throws IOException {
        return request(client, "POST", "/api/session", "{\"apiKey\":\"" + key + "\"}",
                Map.of("Content-Type", "application/json"));
    }

    /** One HTTP/1.1 exchange on a connection from {@code client}'s address (the JDK's HttpClient cannot pick it). */
    private Answer request(String client, String method, String path, String body, Map<String, String> headers)
            throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(collector.collector.port()).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(client), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", collector.collector.port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            try (InputStream in = socket.getInputStream()) {
                return Answer.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private static final class Answer {
        final int status;
        final Map<String, String> headers;
        final String body;

        private Answer(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        static Answer parse(String response) {
            int end = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, response.substring(end + 4));
        }

        String header(String name) {
            return headers.get(name);
        }
    }
}
