package io.mintaro.httpclient;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.BodyCapture;
import io.mintaro.http.ClientExchange;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link HttpClient} that carries the current trace to the services it calls and records
 * every exchange, bodies included. Use it wherever the plain client was used:
 *
 * <pre>{@code
 * HttpClient http = MintaroHttpClient.wrap(HttpClient.newHttpClient());
 * }</pre>
 *
 * Response bodies read with the JDK's {@code BodyHandlers.ofString()} or {@code ofByteArray()} are
 * captured from the finished body; any other handler's body is captured as it consumes the bytes.
 * The exchange is recorded when {@code send} returns (or the async future completes), so a
 * streaming handler that is read later is recorded without the part read afterwards.
 */
public final class MintaroHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final MintaroSdk sdk;

  private MintaroHttpClient(HttpClient delegate, MintaroSdk sdk) {
    this.delegate = delegate;
    this.sdk = sdk;
  }

  /** Wraps {@code client}, recording into the global {@link Mintaro#sdk()}. */
  public static HttpClient wrap(HttpClient client) {
    return wrap(client, null);
  }

  /** Wraps {@code client}; calls made outside any trace start one in {@code sdk}. */
  public static HttpClient wrap(HttpClient client, MintaroSdk sdk) {
    if (client instanceof MintaroHttpClient) {
      return client;
    }
    return new MintaroHttpClient(client, sdk);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    ClientExchange exchange = ClientExchange.start(sdk(), request.method(), request.uri());
    ResponseCapture capture = new ResponseCapture();
    try {
      HttpResponse<T> response = delegate.send(traced(request, exchange), recording(handler, exchange, capture));
      exchange.status(response.statusCode());
      capture.finished(response.body(), exchange);
      return response;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      exchange.fail(e);
      throw e;
    } finally {
      exchange.close();
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    ClientExchange exchange = ClientExchange.start(sdk(), request.method(), request.uri());
    ResponseCapture capture = new ResponseCapture();
    CompletableFuture<HttpResponse<T>> future;
    try {
      future = delegate.sendAsync(traced(request, exchange), recording(handler, exchange, capture),
          pushPromiseHandler);
    } catch (RuntimeException | Error e) {
      exchange.fail(e);
      exchange.close();
      throw e;
    }
    return future.whenComplete((response, error) -> {
      if (response != null) {
        exchange.status(response.statusCode());
        capture.finished(response.body(), exchange);
      }
      if (error != null) {
        exchange.fail(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      }
      exchange.close();
    });
  }

  private MintaroSdk sdk() {
    return sdk == null ? Mintaro.sdk() : sdk;
  }

  private static HttpRequest traced(HttpRequest request, ClientExchange exchange) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> true);
    exchange.propagationHeaders(builder::setHeader);
    for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
      for (String value : header.getValue()) {
        exchange.requestHeader(header.getKey(), value);
      }
    }
    exchange.propagationHeaders(exchange::requestHeader);
    Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
    if (body.isPresent()) {
      builder.method(request.method(), new TeePublisher(body.get(), exchange.requestBody()));
    }
    return builder.build();
  }

  private static <T> HttpResponse.BodyHandler<T> recording(HttpResponse.BodyHandler<T> handler,
      ClientExchange exchange, ResponseCapture capture) {
    return info -> {
      HttpHeaders headers = info.headers();
      for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
        for (String value : header.getValue()) {
          exchange.responseHeader(header.getKey(), value);
        }
      }
      exchange.status(info.statusCode());
      HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
      if (subscriber != null && subscriber.getClass() == JDK_BYTE_ARRAY_SUBSCRIBER) {
        // The JDK trusts its own subscribers not to block and completes them on the thread that
        // read the body; any wrapper costs a hand-off to its executor on every response.
        capture.fromFinishedBody(headers.firstValue("content-type").orElse(null));
        return subscriber;
      }
      return new TeeSubscriber<>(subscriber, exchange.responseBody());
    };
  }

  /** The class of the subscriber behind {@code BodyHandlers.ofString()} and {@code ofByteArray()}. */
  private static final Class<?> JDK_BYTE_ARRAY_SUBSCRIBER =
      HttpResponse.BodySubscribers.ofByteArray().getClass();

  /** How one response's body is captured: as it passes (the default) or from the finished body. */
  private static final class ResponseCapture {
    private volatile boolean fromBody;
    private volatile Charset charset;

    void fromFinishedBody(String contentType) {
      charset = charsetOf(contentType);
      fromBody = true;
    }

    /** Captures a finished {@code byte[]} or {@code String} body, in the charset it came in. */
    void finished(Object body, ClientExchange exchange) {
      if (!fromBody) {
        return;
      }
      byte[] bytes = body instanceof byte[] ? (byte[]) body
          : body instanceof String ? ((String) body).getBytes(charset) : null;
      if (bytes != null) {
        exchange.responseBody().write(bytes, 0, bytes.length);
      }
    }

    private static Charset charsetOf(String contentType) {
      if (contentType != null) {
        for (String parameter : contentType.split(";")) {
          String p = parameter.trim();
          if (p.regionMatches(true, 0, "charset=", 0, 8)) {
            try {
              return Charset.forName(p.substring(8).replace("\"", "").trim());
            } catch (RuntimeException e) {
              break; // unknown or malformed: what BodyHandlers.ofString() falls back to
            }
          }
        }
      }
      return StandardCharsets.UTF_8;
    }
  }

  /** Passes request body buffers on unchanged, keeping a copy of the first bytes. */
  private static final class TeePublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher delegate;
    private final BodyCapture capture;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    TeePublisher(HttpRequest.BodyPublisher delegate, BodyCapture capture) {
      this.delegate = delegate;
      this.capture = capture;
    }

    @Override
    public long contentLength() {
      return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      if (!subscribed.compareAndSet(false, true)) {
        // The client sends the same body again (a 307/308 redirect, a retry): capture it once.
        delegate.subscribe(subscriber);
        return;
      }
      delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscriber.onSubscribe(subscription);
        }

        @Override
        public void onNext(ByteBuffer item) {
          capture.write(item);
          subscriber.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
          subscriber.onError(throwable);
        }

        @Override
        public void onComplete() {
          subscriber.onComplete();
        }
      });
    }
  }

  /** Passes response body buffers on unchanged, keeping a copy of the first bytes. */
  private static final class TeeSubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final BodyCapture capture;

    TeeSubscriber(HttpResponse.BodySubscriber<T> delegate, BodyCapture capture) {
      this.delegate = delegate;
      this.capture = capture;
    }

    @Override
    public CompletionStage<T> getBody() {
      return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      delegate.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        capture.write(item);
      }
      delegate.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
      delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
      delegate.onComplete();
    }
  }

  // --- plain delegation -----------------------------------------------------------------

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }
}
