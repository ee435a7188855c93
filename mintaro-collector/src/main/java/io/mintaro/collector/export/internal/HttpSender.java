package io.mintaro.collector.export.internal;

import io.mintaro.collector.export.ExportException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs export bodies with the JDK client and turns the answer into success or an
 * {@link ExportException}: 2xx is success; 408, 429 and 5xx, timeouts and broken connections are
 * retryable; any other status will never succeed.
 */
public final class HttpSender implements AutoCloseable {
    private final HttpClient client;
    private final ExecutorService executor;
    private final Duration timeout;

    public HttpSender(String threadName, long timeoutMs) {
        this.timeout = Duration.ofMillis(timeoutMs);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Sends {@code body}; returns the response body of a 2xx answer. */
    public byte[] post(URI uri, String contentType, byte[] body, Map<String, String> headers) throws ExportException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        // The request timeout ends with the response headers; a target that then trickles its body
        // would hold the export thread: the whole exchange gets the same bound.
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            response = pending.get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ExportException(uri + ": no complete answer within " + timeout.toMillis() + " ms", true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new ExportException(uri + ": no answer within " + timeout.toMillis() + " ms", true, cause);
            }
            throw new ExportException(uri + ": " + cause, true, cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new ExportException(uri + ": interrupted", true, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        boolean retryable = status >= 500 || status == 408 || status == 429;
        throw new ExportException(uri + " answered " + status + (text.isBlank() ? "" : ": " + text.strip()),
                retryable);
    }

    /** The absolute http(s) URI in {@code value}, or an error naming {@code setting}. */
    public static URI httpUri(String setting, String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " must be an http(s) URL, got '" + value + "'");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(setting + " must be an http(s) URL, got '" + value + "'");
        }
        return uri;
    }

    /** The timeout setting the collector passes to providers. */
    public static long timeoutMs(java.util.function.Function<String, String> settings) {
        String v = settings.apply("MINTARO_EXPORT_TIMEOUT_MS");
        return v == null ? 10_000 : Long.parseLong(v);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
