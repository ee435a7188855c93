package io.mintaro.spring.web;

import io.mintaro.http.BodyCapture;
import io.mintaro.http.ClientExchange;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The response as the application sees it, unchanged, with a body stream that copies what is read
 * into the exchange. The exchange is closed at the end of the body or when the response is.
 */
final class RecordingResponse implements ClientHttpResponse {
  private final ClientHttpResponse delegate;
  private final ClientExchange exchange;
  private InputStream body;
  private TeeInputStream tee;
  private boolean finished;

  RecordingResponse(ClientHttpResponse delegate, ClientExchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public HttpStatusCode getStatusCode() throws IOException {
    return delegate.getStatusCode();
  }

  @Override
  public String getStatusText() throws IOException {
    return delegate.getStatusText();
  }

  @Override
  public HttpHeaders getHeaders() {
    return delegate.getHeaders();
  }

  @Override
  public InputStream getBody() throws IOException {
    InputStream in = delegate.getBody();
    if (in != null && in == body) {
      return tee;
    }
    if (in == null || finished) {
      return in;
    }
    // Responses hand out one stream; should one hand out another, it is copied on after the first.
    body = in;
    tee = new TeeInputStream(in, this);
    return tee;
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      finish();
    }
  }

  /** Writes the exchange once: at the end of the body, or when the response is closed. */
  void finish() {
    if (!finished) {
      finished = true;
      exchange.close();
    }
  }

  void failed(IOException e) {
    if (!finished) {
      exchange.fail(e);
    }
  }

  BodyCapture capture() {
    return exchange.responseBody();
  }

  /**
   * Passes every byte on as read, keeping a copy of the first ones. Bytes read again after a
   * {@code reset()} are not copied twice.
   */
  static final class TeeInputStream extends InputStream {
    private final InputStream in;
    private final RecordingResponse response;
    /** Bytes delivered so far, counted from the start; moves back on reset. */
    private long position;
    /** The furthest position copied. */
    private long copied;
    private long mark;
    private byte[] skipBuffer;

    TeeInputStream(InputStream in, RecordingResponse response) {
      this.in = in;
      this.response = response;
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = in.read();
      } catch (IOException e) {
        response.failed(e);
        throw e;
      }
      if (b < 0) {
        response.finish();
      } else {
        if (position++ == copied) {
          copied++;
          copy(b);
        }
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        response.failed(e);
        throw e;
      }
      if (n < 0) {
        response.finish();
      } else if (n > 0) {
        copied(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Read what is skipped, so that it is still counted (and kept, within the limit).
      if (n <= 0) {
        return 0;
      }
      if (skipBuffer == null) {
        skipBuffer = new byte[(int) Math.min(8192, n)];
      }
      int r = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n));
      return Math.max(r, 0);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public boolean markSupported() {
      return in.markSupported();
    }

    @Override
    public synchronized void mark(int readlimit) {
      in.mark(readlimit);
      mark = position;
    }

    @Override
    public synchronized void reset() throws IOException {
      in.reset();
      position = mark;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    private void copied(byte[] b, int off, int n) {
      long start = position;
      position += n;
      if (position > copied) {
        int skip = (int) Math.max(0, copied - start);
        copied = position;
        try {
          response.capture().write(b, off + skip, n - skip);
        } catch (RuntimeException e) {
          // the application's bytes matter, not our copy
        }
      }
    }

    private void copy(int b) {
      try {
        response.capture().write(b);
      } catch (RuntimeException e) {
        // ditto
      }
    }
  }
}
