package io.mintaro.collector.web;

import io.javalin.http.Context;
import io.mintaro.collector.internal.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import io.mintaro.collector.internal.Sha256;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the browser UI: static files from the classpath directory {@value #ROOT}. The UI routes on
 * the client, so its page paths ({@code /}, {@code /traces/...}, {@code /groups/...}, {@code /slow},
 * {@code /services}, {@code /services/...}, {@code /status}, {@code /alerts}, {@code /login}) all answer
 * {@code index.html}; the other files are under {@code /ui/}.
 *
 * <p>The files hold no data, so they need no authentication. Every answer carries
 * {@code Cache-Control: no-cache} (with an {@code ETag}, so an unchanged file costs a {@code 304})
 * and the security headers; a path is served only when each of its segments is a plain name (no
 * {@code ..}, no hidden files, no encoded separators) with a known file type.
 */
public final class UiEndpoints {
    /** Classpath directory of the UI's files. */
    public static final String ROOT = "io/mintaro/collector/ui/";
    /** Paths the client-side router handles: each answers {@code index.html}. */
    public static final List<String> PAGES = List.of("/", "/traces", "/traces/<rest>", "/groups", "/groups/<rest>",
            "/slow", "/services", "/services/<rest>", "/status", "/alerts", "/login");
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"));
    /** A file or directory name: no leading dot (no {@code ..}, no hidden files), no separators. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final ClassLoader loader;

    public UiEndpoints() {
        this.loader = UiEndpoints.class.getClassLoader();
    }

    /** {@code GET} of a page path: {@code index.html}. */
    public void page(Context ctx) throws IOException {
        serve(ctx, "index.html");
    }

    /** {@code GET /ui/<path>}: a static file. */
    public void file(Context ctx) throws IOException {
        String path = ctx.pathParam("path");
        String[] segments = path.split("/", -1);
        if (segments.length > 8) {
            throw ApiException.notFound("no such file");
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw ApiException.notFound("no such file");
            }
        }
        serve(ctx, path);
    }

    private void serve(Context ctx, String path) throws IOException {
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
        byte[] bytes = type == null ? null : read(ROOT + path);
        if (bytes == null) {
            throw ApiException.notFound(path.equals("index.html") ? "the UI is not installed" : "no such file");
        }
        securityHeaders(ctx);
        ctx.header("Cache-Control", "no-cache");
        String etag = "\"" + sha256(bytes).substring(0, 32) + "\"";
        ctx.header("ETag", etag);
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || List.of(ifNoneMatch.split(",")).stream()
                .map(String::trim).anyMatch(etag::equals))) {
            ctx.status(304);
            return;
        }
        ctx.status(200).contentType(type).result(bytes);
    }

    /** The security headers of every UI answer. */
    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    /** A regular file's bytes, or null when there is none (missing, or a directory). */
    private byte[] read(String resource) throws IOException {
        URL url = loader.getResource(resource);
        if (url == null) {
            return null;
        }
        if (url.getProtocol().equals("file")) {
            Path file;
            try {
                file = Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        }
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false); // else the JDK keeps the jar open and caches stale entries
        if (connection instanceof JarURLConnection jar && (jar.getJarEntry() == null || jar.getJarEntry().isDirectory())) {
            return null;
        }
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Sha256.digest(bytes));
    }
}
