package io.mintaro.servlet;

import io.mintaro.http.BodyCapture;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Tees every response body byte the application writes into a {@link BodyCapture}. */
final class CapturingResponse extends HttpServletResponseWrapper {
  private final BodyCapture capture;
  private ServletOutputStream stream;
  private PrintWriter writer;

  CapturingResponse(HttpServletResponse response, BodyCapture capture) {
    super(response);
    this.capture = capture;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      stream = new TeeOutputStream(super.getOutputStream(), capture);
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
      writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), charset), false);
    }
    return writer;
  }

  @Override
  public void flushBuffer() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    super.flushBuffer();
  }

  /** Pushes what the application left in our writer's buffer, so it is captured and sent. */
  void flushCapture() {
    if (writer != null) {
      writer.flush();
    }
  }

  private static final class TeeOutputStream extends ServletOutputStream {
    private final ServletOutputStream out;
    private final BodyCapture capture;

    TeeOutputStream(ServletOutputStream out, BodyCapture capture) {
      this.out = out;
      this.capture = capture;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      capture.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      capture.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }

    @Override
    public boolean isReady() {
      return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      out.setWriteListener(listener);
    }
  }
}
