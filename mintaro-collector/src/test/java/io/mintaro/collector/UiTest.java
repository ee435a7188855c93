package io.mintaro.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser UI's files: page paths answer {@code index.html} (the UI routes on the client),
 * {@code /ui/...} serves the classpath directory {@code io/mintaro/collector/ui/} with the right
 * content types, no caching without revalidation, security headers, and nothing outside it.
 * Fixtures of known content live in {@code ui/test-fixture/} on the test classpath.
 */
class UiTest {
    static final String CSP =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

    @TempDir
    static Path dir;
    static TestCollector c;

    @BeforeAll
    static void start() {
        c = TestCollector.start(dir);
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void everyPagePathAnswersIndexHtmlWithoutAKey() {
        byte[] index = resource("index.html");
        for (String path : List.of("/", "/traces", "/traces/4bf92f3577b34da6a3ce929d0e0e4736", "/traces/a/b/c",
                "/groups", "/groups/9f1c2d3e4f5a6b7c", "/groups/9f1c2d3e4f5a6b7c/traces?page=2", "/slow",
                "/slow?from=1763700000000", "/services", "/services/orders?range=7d", "/status", "/alerts", "/login")) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(contentType(r)).as(path).isEqualTo("text/html;charset=utf-8");
            assertThat(r.body()).as(path).isEqualTo(index);
        }
    }

    @Test
    void filesHaveTheContentTypeOfTheirKind() {
        String[][] cases = {
            {"module.js", "text/javascript;charset=utf-8"}, {"sheet.css", "text/css;charset=utf-8"},
            {"icon.svg", "image/svg+xml"}, {"pixel.png", "image/png"},
        };
        for (String[] file : cases) {
            HttpResponse<byte[]> r = get("/ui/test-fixture/" + file[0], Map.of());
            assertThat(r.statusCode()).as(file[0]).isEqualTo(200);
            assertThat(contentType(r)).as(file[0]).isEqualTo(file[1]);
            assertThat(r.body()).as(file[0]).isEqualTo(resource("test-fixture/" + file[0]));
        }
    }

    @Test
    void everyFileTheIndexPageLinksIsServed() {
        String index = new String(resource("index.html"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?:src|href)=\"(/ui/[^\"]+)\"").matcher(index);
        List<String> linked = new ArrayList<>();
        while (m.find()) {
            linked.add(m.group(1));
        }
        assertThat(linked).isNotEmpty();
        for (String path : linked) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).isEqualTo(resource(path.substring("/ui/".length())));
        }
    }

    @Test
    void uiAnswersCarrySecurityHeadersAndMustBeRevalidated() {
        for (String path : List.of("/", "/groups/x", "/ui/test-fixture/module.js", "/ui/test-fixture/pixel.png")) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
        }
    }

    @Test
    void anUnchangedFileIsA304ByItsEtag() {
        HttpResponse<byte[]> first = get("/ui/test-fixture/module.js", Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("/ui/test-fixture/module.js", Map.of("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        HttpResponse<byte[]> other = get("/ui/test-fixture/module.js", Map.of("If-None-Match", "\"something-else\""));
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(get("/ui/test-fixture/sheet.css", Map.of("If-None-Match", etag)).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownFilesDirectoriesHiddenFilesAndUnknownTypesAre404() {
        for (String path : List.of("/ui/nothing.js", "/ui/test-fixture/nothing.css", "/ui/test-fixture",
                "/ui/test-fixture/", "/ui/test-fixture/.hidden.js", "/ui/test-fixture/notes.xyz", "/ui/index")) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void nothingOutsideTheUiDirectoryCanBeReached() {
        // Targets: the collector's logback.xml next to ui/, its classes, and files of the system.
        List<String> attempts = List.of(
                "/ui/../logback.xml", "/ui/%2e%2e/logback.xml", "/ui/%2E%2E/logback.xml", "/ui/.%2e/logback.xml",
                "/ui/..%2flogback.xml", "/ui/..%2Flogback.xml", "/ui/%2e%2e%2flogback.xml", "/ui/..%5clogback.xml",
                "/ui/%252e%252e/logback.xml", "/ui/test-fixture/../../logback.xml",
                "/ui/test-fixture/%2e%2e/%2e%2e/logback.xml", "/ui/%2e%2e/%2e%2e/io/mintaro/collector/Collector.class",
                "/ui/..;/logback.xml", "/ui/%00/../logback.xml", "/ui//etc/passwd", "/ui/%2fetc%2fpasswd",
                "/ui/file:%2f%2f%2fetc%2fpasswd", "/../logback.xml", "/ui/../../../../../../etc/passwd",
                "/traces/../logback.xml", "/groups/%2e%2e/%2e%2e/logback.xml", "/slow/../ui/../logback.xml");
        byte[] index = resource("index.html");
        for (String path : attempts) {
            HttpResponse<byte[]> r = get(path, Map.of());
            String body = new String(r.body(), StandardCharsets.ISO_8859_1);
            assertThat(body).as(path).doesNotContain("<configuration").doesNotContain("root:")
                    .doesNotContain("io/mintaro/collector");
            if (path.startsWith("/ui/")) {
                assertThat(r.statusCode()).as(path).isIn(400, 404);
            } else if (r.statusCode() == 200) {
                // A page path may stay a page path: the client's router shows "not found".
                assertThat(r.body()).as(path).isEqualTo(index);
            } else {
                assertThat(r.statusCode()).as(path).isIn(400, 404);
            }
        }
    }

    /** The Content-Type header without optional whitespace, in lower case. */
    static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void apiPathsAreNotPages() {
        HttpResponse<byte[]> r = get("/api/nothing-here", Map.of("Authorization", "Bearer " + TestCollector.KEY));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    static HttpResponse<byte[]> get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url(path))).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        try {
            return java.net.http.HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String path) {
        try (InputStream in = UiTest.class.getClassLoader().getResourceAsStream("io/mintaro/collector/ui/" + path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
