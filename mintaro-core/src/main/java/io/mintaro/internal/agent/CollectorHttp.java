package io.mintaro.internal.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP transport of protocol v1 (docs/protocol.md, "Conventions"): JSON bodies to
 * {@code /agent/v1/...}, the protocol and key headers, gzip above 1 KiB. Knows nothing of what the
 * bodies mean; the {@link Agent} does.
 */
final class CollectorHttp {
  private final URI base;
  private final String apiKey;
  private final HttpClient http;
  private final ExecutorService executor;
  private final AtomicLong bytesSent = new AtomicLong();

  /** @param apiKey the key presented to the collector; null for none */
  CollectorHttp(URI collector, String apiKey) {
    String url = collector.toString();
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.apiKey = apiKey;
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mintaro-agent-http");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1)
        .executor(executor)
        .build();
  }

  /** Bytes of request bodies sent so far, after compression. */
  long bytesSent() {
    return bytesSent.get();
  }

  HttpResponse<String> post(String path, String json, Duration timeout) throws IOException, InterruptedException {
    byte[] raw = json.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Mintaro-Protocol", "1");
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    byte[] body = raw;
    if (raw.length > 1024) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
      try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
        gzip.write(raw);
      }
      body = out.toByteArray();
      request.header("Content-Encoding", "gzip");
    }
    bytesSent.addAndGet(body.length);
    return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void close() {
    executor.shutdownNow();
  }

  /**
   * The failure a status other than 200 makes: a 5xx says the collector is unavailable (retried
   * soon while data is pending); a 4xx that it refuses this agent for now (401: a wrong key, 429:
   * too many requests), which a quick retry would only repeat, so it waits the full back-off.
   */
  static IOException failure(String what, HttpResponse<String> response) {
    String message = what + " answered " + response.statusCode() + ": " + response.body();
    return response.statusCode() >= 500 ? new IOException(message) : new Refused(message);
  }

  /** The collector answered and refused; see {@link #failure}. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }
}
