package io.mintaro.cli.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The collector's REST API (docs/api.md) over the JDK's HTTP client, with the bearer key. Every
 * failure becomes a {@link CliException} with its exit code.
 */
final class Api {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String key;
    private final Duration timeout;
    private final HttpClient http;

    public Api(String base, String key, Duration timeout) {
        this(base, key, timeout, null);
    }

    /** @param tls the TLS settings of an https collector ({@link #tls}); null for the JDK's defaults */
    public Api(String base, String key, Duration timeout, SSLContext tls) {
        this.base = stripSlash(base);
        this.key = key;
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (tls != null) {
            http.sslContext(tls);
        }
        this.http = http.build();
    }

    /**
     * The TLS context trusting only the CAs of the PEM file {@code MINTARO_TLS_CA} names, as for
     * the SDK; null when it is not set (the JDK's trust store). Verification is never turned off.
     */
    public static SSLContext tls(Context ctx) {
        String file = ctx.env("MINTARO_TLS_CA");
        if (file == null || file.isBlank()) {
            return null;
        }
        Path path = Path.of(file.strip());
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, ca);
            }
            if (n == 0) {
                throw new CliException(CliException.USAGE, "MINTARO_TLS_CA: no certificate in " + path);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (NoSuchFileException e) {
            throw new CliException(CliException.USAGE, "MINTARO_TLS_CA: no such file: " + path);
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(CliException.USAGE, "MINTARO_TLS_CA: " + path + " holds no readable PEM certificate ("
                    + e.getMessage() + ")");
        }
    }

    public String base() {
        return base;
    }

    static String stripSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** Checks that {@code url} is an absolute http(s) URL; a usage error otherwise. */
    public static String checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(stripSlash(url));
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "not a URL: " + url);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new CliException(CliException.USAGE, "the collector URL must be http(s)://host[:port], not " + url);
        }
        return stripSlash(url);
    }

    /**
     * The API key a URL carries as its user part, as the SDK's {@code MINTARO_COLLECTOR} may
     * ({@code http://KEY@collector:7070}), or null.
     */
    public static String keyInUrl(String url) {
        try {
            String userInfo = URI.create(stripSlash(url)).getRawUserInfo();
            return userInfo == null || userInfo.isEmpty() ? null
                    : java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The URL without a user part. */
    public static String withoutKey(String url) {
        try {
            URI u = URI.create(stripSlash(url));
            if (u.getRawUserInfo() == null) {
                return stripSlash(url);
            }
            return stripSlash(new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), u.getQuery(),
                    u.getFragment()).toString());
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            return stripSlash(url);
        }
    }

    /** Parameters in order, null values left out. */
    public static Map<String, String> params(Object... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                m.put(keyValues[i].toString(), keyValues[i + 1].toString());
            }
        }
        return m;
    }

    public JsonNode get(String path, Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        // path may carry a query of its own (repeated parameters, see Commands.Tags).
        params.forEach((k, v) -> q.append(q.length() == 0 && path.indexOf('?') < 0 ? '?' : '&')
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(request(path + q).GET().build());
    }

    public JsonNode get(String path) {
        return get(path, Map.of());
    }

    public JsonNode put(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
    }

    public JsonNode post(String path, JsonNode body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
    }

    /** Deletes; a 204 answers an empty object. */
    public JsonNode delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** Posts a body of the agent protocol (docs/protocol.md), as an agent would. */
    public JsonNode postAgent(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").header("Mintaro-Protocol", "1")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build());
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        URI uri;
        try {
            uri = URI.create(base + pathAndQuery);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "bad collector URL " + base + ": " + e.getMessage());
        }
        return HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Accept", "application/json")
                .header("User-Agent", "mintaro-cli");
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "collector " + base + " unreachable: connect timed out after "
                    + seconds(timeout));
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "collector " + base + " did not answer within "
                    + seconds(timeout) + " (--timeout)");
        } catch (ConnectException e) {
            throw new CliException(CliException.UNREACHABLE, "collector " + base + " unreachable: "
                    + (e.getMessage() == null ? "connection refused" : e.getMessage()));
        } catch (SSLException e) {
            throw new CliException(CliException.UNREACHABLE, "collector " + base + ": TLS failed (" + e.getMessage()
                    + "); for a collector whose certificate a private CA signed, set MINTARO_TLS_CA to that CA's PEM file");
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, "collector " + base + " unreachable: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted");
        }
        int status = r.statusCode();
        JsonNode json;
        try {
            json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (status == 204) {
            return JSON.createObjectNode();
        }
        if (status >= 200 && status < 300) {
            if (json == null || !json.isContainerNode()) {
                throw new CliException(CliException.UNREACHABLE, base + " answered HTTP " + status
                        + " with something that is not JSON: is it a Mintaro collector?");
            }
            return json;
        }
        String message = json != null && json.hasNonNull("error") ? json.get("error").asText() : null;
        if (message == null && (json == null || !json.isObject())) {
            if (status == 401 || status == 403) {
                throw new CliException(CliException.AUTH, "collector refused the key (HTTP " + status + ")");
            }
            throw new CliException(status >= 500 ? CliException.SERVER : CliException.UNREACHABLE, base + " answered HTTP "
                    + status + " with something that is not JSON: is it a Mintaro collector?");
        }
        String what = message == null ? "HTTP " + status : message + " (HTTP " + status + ")";
        switch (status) {
            case 401:
                throw new CliException(CliException.AUTH, "collector refused the key: " + what
                        + "; sign in with mintaro login");
            case 403:
                throw new CliException(CliException.AUTH, "the key may not do this: " + what);
            case 404:
                throw new CliException(CliException.NOT_FOUND, what);
            case 400:
                throw new CliException(CliException.USAGE, "collector rejected the request: " + what);
            default:
                throw new CliException(CliException.SERVER, "collector error: " + what);
        }
    }

    private static String describe(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
