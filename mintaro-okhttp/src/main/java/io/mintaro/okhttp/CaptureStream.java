package io.mintaro.okhttp;

import io.mintaro.http.BodyCapture;
import java.io.OutputStream;
import okio.Buffer;

/**
 * Feeds bytes to a {@link BodyCapture}. Okio copies a buffer's segments into it without an
 * intermediate array, and the capture keeps only what fits its limit while counting the rest.
 */
final class CaptureStream extends OutputStream {
  private final BodyCapture capture;

  CaptureStream(BodyCapture capture) {
    this.capture = capture;
  }

  /** Captures {@code count} bytes of {@code buffer} from {@code offset} on, leaving it unchanged. */
  void copy(Buffer buffer, long offset, long count) {
    try {
      buffer.copyTo(this, offset, count);
    } catch (java.io.IOException | RuntimeException e) {
      // never into the application: this body is recorded without these bytes
    }
  }

  @Override
  public void write(int b) {
    capture.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    capture.write(b, off, len);
  }
}
