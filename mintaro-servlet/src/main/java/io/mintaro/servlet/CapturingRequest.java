package io.mintaro.servlet;

import io.mintaro.http.BodyCapture;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Tees every request body byte the application reads into a {@link BodyCapture}. */
final class CapturingRequest extends HttpServletRequestWrapper {
  private final BodyCapture capture;
  private ServletInputStream stream;
  private BufferedReader reader;
  private ServletResponse capturingResponse;

  CapturingRequest(HttpServletRequest request, BodyCapture capture) {
    super(request);
    this.capture = capture;
  }

  /** The response wrapper that async work must write through, so its bytes are captured too. */
  void pairWith(ServletResponse response) {
    this.capturingResponse = response;
  }

  @Override
  public AsyncContext startAsync() {
    // The no-argument form would hand async work the container's unwrapped response.
    return capturingResponse == null ? super.startAsync() : super.startAsync(this, capturingResponse);
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (stream == null) {
      stream = new TeeInputStream(super.getInputStream(), capture);
    }
    return stream;
  }

  @Override
  public BufferedReader getReader() throws IOException {
    if (reader == null) {
      String encoding = getCharacterEncoding();
      // ISO-8859-1 is the servlet default, as the container's own reader would use
      Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
      reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
    return reader;
  }

  private static final class TeeInputStream extends ServletInputStream {
    private final ServletInputStream in;
    private final BodyCapture capture;

    TeeInputStream(ServletInputStream in, BodyCapture capture) {
      this.in = in;
      this.capture = capture;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        capture.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        capture.write(b, off, n);
      }
      return n;
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
