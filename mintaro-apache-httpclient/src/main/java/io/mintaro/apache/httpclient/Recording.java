package io.mintaro.apache.httpclient;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.http.BodyCapture;
import io.mintaro.http.ClientExchange;
import java.net.URI;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/**
 * One call's exchange as both clients feed it: the request as it leaves the application, the
 * response, the body bytes the application reads, and the end of the exchange, once, by
 * whichever comes first: end of body, close, failure.
 */
final class Recording {
  private static final AtomicIntegerFieldUpdater<Recording> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(Recording.class, "finished");

  final ClientExchange exchange;
  private final BodyCapture responseBody;
  private volatile int finished;

  private Recording(ClientExchange exchange) {
    this.exchange = exchange;
    this.responseBody = exchange.responseBody();
  }

  /**
   * Starts the exchange of {@code request} in the trace current on this thread, sets the trace
   * headers on it and records its headers; null when Mintaro cannot record it.
   *
   * @param contentType the body's content type, which HttpClient sends as a header further down
   */
  static Recording start(MintaroSdk sdk, HttpRequest request, String contentType) {
    ClientExchange exchange = null;
    try {
      exchange = ClientExchange.start(sdk == null ? Mintaro.sdk() : sdk, request.getMethod(), uriOf(request));
      exchange.propagationHeaders(request::setHeader);
      boolean typed = false;
      for (Iterator<Header> it = request.headerIterator(); it.hasNext(); ) {
        Header header = it.next();
        exchange.requestHeader(header.getName(), header.getValue());
        typed |= HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(header.getName());
      }
      if (!typed && contentType != null) {
        // HttpClient sends the entity's type as the header further down the chain; it says how
        // the body is read (and redacted).
        exchange.requestHeader(HttpHeaders.CONTENT_TYPE, contentType);
      }
      return new Recording(exchange);
    } catch (RuntimeException e) {
      if (exchange != null) {
        exchange.close(); // ends its span with what it has; the call goes on untouched further
      }
      return null;
    }
  }

  private static URI uriOf(HttpRequest request) {
    try {
      return request.getUri();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null; // a request HttpClient accepts but java.net.URI cannot hold
    }
  }

  BodyCapture requestBody() {
    return exchange.requestBody();
  }

  /** Records the response's status and headers. */
  void response(HttpResponse response) {
    try {
      exchange.status(response.getCode());
      for (Iterator<Header> it = response.headerIterator(); it.hasNext(); ) {
        Header header = it.next();
        exchange.responseHeader(header.getName(), header.getValue());
      }
    } catch (RuntimeException e) {
      // never into the application
    }
  }

  /** A byte of the response body the application just read. */
  void read(int b) {
    if (finished == 0) {
      responseBody.write(b);
    }
  }

  /** Bytes of the response body the application just read. */
  void read(byte[] b, int off, int len) {
    if (finished == 0) {
      responseBody.write(b, off, len);
    }
  }

  /** Bytes of the response body on their way to the application's consumer; not moved. */
  void read(java.nio.ByteBuffer src) {
    if (finished == 0) {
      responseBody.write(src);
    }
  }

  /** Writes the exchange; {@code error} is why it ended early, or null. */
  void finish(Throwable error) {
    if (!FINISHED.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      if (error != null) {
        exchange.fail(error);
      }
    } catch (RuntimeException e) {
      // never into the application
    }
    exchange.close();
  }
}
