package io.mintaro.servlet;

import io.mintaro.http.BodyCapture;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Tees every response body byte the application writes into a {@link BodyCapture}. */
final class CapturingResponse extends HttpServletResponseWrapper {
  private final BodyCapture capture;
  private ServletOutputStream stream;
  private PrintWriter writer;
  private Writer captureWriter;

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

  /**
   * The container's own writer, so that it settles the charset (and names it in Content-Type),
   * buffers and completes the response as it would without us; the characters are also encoded
   * into the capture with that charset.
   */
  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      PrintWriter real = super.getWriter();
      Charset charset = StandardCharsets.ISO_8859_1;
      try {
        String encoding = getCharacterEncoding();
        if (encoding != null) {
          charset = Charset.forName(encoding);
        }
      } catch (RuntimeException e) {
        // the container writes with it anyway; we capture as Latin-1
      }
      captureWriter = new OutputStreamWriter(new CaptureStream(capture), charset);
      writer = new PrintWriter(new TeeWriter(real, captureWriter), false) {
        @Override
        public boolean checkError() {
          return super.checkError() || real.checkError();
        }
      };
    }
    return writer;
  }

  /**
   * Moves what our encoder still holds into the capture. Nothing is flushed to the client: the
   * container completes the response as it would without us.
   */
  void flushCapture() {
    if (captureWriter != null) {
      try {
        captureWriter.flush();
      } catch (IOException | RuntimeException e) {
        // the capture never fails the application
      }
    }
  }

  /** Writes to the container's writer, and a copy to the capture. */
  private static final class TeeWriter extends Writer {
    private final PrintWriter out;
    private final Writer capture;

    TeeWriter(PrintWriter out, Writer capture) {
      this.out = out;
      this.capture = capture;
    }

    @Override
    public void write(int c) {
      out.write(c);
      try {
        capture.write(c);
      } catch (IOException | RuntimeException e) {
        // ignore
      }
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      out.write(cbuf, off, len);
      try {
        capture.write(cbuf, off, len);
      } catch (IOException | RuntimeException e) {
        // ignore
      }
    }

    @Override
    public void write(String str, int off, int len) {
      out.write(str, off, len);
      try {
        capture.write(str, off, len);
      } catch (IOException | RuntimeException e) {
        // ignore
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.close();
    }
  }

  /** The bytes our writer's encoder produces, into the capture only. */
  private static final class CaptureStream extends OutputStream {
    private final BodyCapture capture;

    CaptureStream(BodyCapture capture) {
      this.capture = capture;
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
