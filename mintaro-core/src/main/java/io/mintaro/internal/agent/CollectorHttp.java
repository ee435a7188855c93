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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The HTTP transport of protocol v1 (docs/protocol.md, "Conventions"): JSON bodies to
 * {@code /agent/v1/...}, the protocol and key headers, gzip above 1 KiB. Knows nothing of what the
 * bodies mean; the {@link Agent} does.
 */
final class CollectorHttp {
  private static final System.Logger LOG = System.getLogger("io.mintaro.agent");

  private final URI base;
  private final String apiKey;
  private final HttpClient http;
  private final ExecutorService executor;
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicBoolean handshakeFailureLogged = new AtomicBoolean();

  /**
   * @param apiKey the key presented to the collector; null for none
   * @param sslContext the TLS settings of an https collector; null for the JDK's defaults
   */
  CollectorHttp(URI collector, String apiKey, SSLContext sslContext) {
    if ("http".equalsIgnoreCase(collector.getScheme()) && !CollectorTls.isLoopback(collector)) {
      // Once per agent, that is once per configured URL: the key and every recorded trace
      // (bodies, headers, SQL) would cross the network readable by anyone on the path.
      LOG.log(System.Logger.Level.WARNING, "mintaro agent: the collector URL " + collector
          + " is plain HTTP to another host: the API key and the traces travel unencrypted;"
          + " use an https:// URL (docs/security.md)");
    }
    String url = collector.toString();
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.apiKey = apiKey;
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mintaro-agent-http");
      t.setDaemon(true);
      return t;
    });
    HttpClient.Builder http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1)
        .executor(executor);
    if (sslContext != null) {
      http.sslContext(sslContext);
    }
    this.http = http.build();
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
    try {
      return http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (SSLException e) {
      // A transport failure like any other (retried with back-off), but one that a retry will not
      // cure: the operator is told once why nothing arrives.
      if (handshakeFailureLogged.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "mintaro agent: TLS with the collector " + base + " failed ("
            + e.getMessage() + "); check MINTARO_TLS_CA and, for mTLS, MINTARO_TLS_CERT and MINTARO_TLS_KEY");
      }
      throw e;
    }
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
