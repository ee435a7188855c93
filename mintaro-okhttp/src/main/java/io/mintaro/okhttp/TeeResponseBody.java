package io.mintaro.okhttp;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

/**
 * The server's response body, unchanged, copying the bytes the application reads into the
 * capture as they pass: a body of any size is still delivered whole and as it arrives.
 */
final class TeeResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BodyRecording recording;
  private BufferedSource source;

  TeeResponseBody(ResponseBody delegate, BodyRecording recording) {
    this.delegate = delegate;
    this.recording = recording;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public BufferedSource source() {
    if (source == null) {
      source = Okio.buffer(new TeeSource(delegate.source(), recording));
    }
    return source;
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      recording.finish(null);
    }
  }

  private static final class TeeSource extends ForwardingSource {
    private final BodyRecording recording;

    TeeSource(Source delegate, BodyRecording recording) {
      super(delegate);
      this.recording = recording;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long read;
      try {
        read = super.read(sink, byteCount);
      } catch (IOException | RuntimeException e) {
        recording.finish(e); // timed out, cancelled, or the connection broke mid-body
        throw e;
      }
      if (read > 0) {
        recording.read(sink, read);
      } else if (read == -1) {
        recording.finish(null);
      }
      return read;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        recording.finish(null);
      }
    }
  }
}
