package io.mintaro.okhttp;

import io.mintaro.http.BodyCapture;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;
import okio.Sink;

/**
 * The application's request body, unchanged, copying the bytes it writes into the capture on
 * their way to the socket. Only the first transmission is captured: OkHttp writes a body that is
 * not one-shot again when it retries or follows a 307/308.
 */
final class TeeRequestBody extends RequestBody {
  private final RequestBody delegate;
  private final BodyCapture capture;
  private volatile boolean written;

  TeeRequestBody(RequestBody delegate, BodyCapture capture) {
    this.delegate = delegate;
    this.capture = capture;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return delegate.contentLength();
  }

  @Override
  public boolean isOneShot() {
    return delegate.isOneShot();
  }

  @Override
  public boolean isDuplex() {
    return delegate.isDuplex();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    if (written) {
      delegate.writeTo(sink);
      return;
    }
    written = true;
    BufferedSink tee = Okio.buffer(new TeeSink(sink, new CaptureStream(capture)));
    delegate.writeTo(tee);
    tee.emit(); // hand what the body wrote to OkHttp's sink, which flushes and closes as before
  }

  private static final class TeeSink extends ForwardingSink {
    private final CaptureStream capture;

    TeeSink(Sink delegate, CaptureStream capture) {
      super(delegate);
      this.capture = capture;
    }

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      capture.copy(source, 0, Math.min(byteCount, source.size()));
      super.write(source, byteCount);
    }
  }
}
