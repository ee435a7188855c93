package io.mintaro.apache.httpclient;

import io.mintaro.http.BodyCapture;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The application's request entity, unchanged, copying what {@code writeTo} writes into the
 * capture on its way to the connection. {@code getContent()} is left alone. Only the first
 * transmission is captured: a repeatable entity is written again for a retry or a 307/308.
 */
final class TeeRequestEntity extends HttpEntityWrapper {
  private final BodyCapture capture;
  private volatile boolean written;

  TeeRequestEntity(HttpEntity entity, BodyCapture capture) {
    super(entity);
    this.capture = capture;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    if (written || out == null) {
      super.writeTo(out);
      return;
    }
    written = true;
    super.writeTo(new TeeOutputStream(out, capture));
  }

  /** Writes through to the connection and keeps a copy of what was written. */
  static final class TeeOutputStream extends FilterOutputStream {
    private final BodyCapture capture;

    TeeOutputStream(OutputStream out, BodyCapture capture) {
      super(out);
      this.capture = capture;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      capture.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len); // FilterOutputStream would write byte by byte
      capture.write(b, off, len);
    }
  }
}
