package io.mintaro.apache.httpclient;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The server's response entity, unchanged, copying the bytes the application reads into the
 * capture as they pass: a body of any size is still delivered whole and as it arrives. The
 * exchange ends at end of stream, when the stream, the entity or the response is closed, or when
 * a read fails.
 */
final class TeeResponseEntity extends HttpEntityWrapper {
  private final Recording recording;
  private boolean teed;
  private InputStream raw;
  private InputStream tee;

  TeeResponseEntity(HttpEntity entity, Recording recording) {
    super(entity);
    this.recording = recording;
  }

  @Override
  public InputStream getContent() throws IOException {
    InputStream in = super.getContent();
    if (in == null) {
      return null;
    }
    if (in == raw) {
      return tee;
    }
    if (teed && isRepeatable()) {
      return in; // a new stream over the same bytes again: captured once
    }
    // HttpClient's own streamed entity hands out a new wrapper of its one stream on each call:
    // every one of them reads bytes not read before
    teed = true;
    raw = in;
    tee = new TeeInputStream(in, recording);
    return tee;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    if ((teed && isRepeatable()) || out == null) {
      super.writeTo(out);
      return;
    }
    teed = true;
    try {
      super.writeTo(new ReadCopy(out, recording));
    } catch (IOException | RuntimeException | Error e) {
      recording.finish(e);
      throw e;
    }
    recording.finish(null);
  }

  @Override
  public void close() throws IOException {
    recording.finish(null); // the application is done; closing may still drain the connection
    super.close();
  }

  /** What {@code writeTo} hands the application is what it reads. */
  private static final class ReadCopy extends java.io.FilterOutputStream {
    private final Recording recording;

    ReadCopy(OutputStream out, Recording recording) {
      super(out);
      this.recording = recording;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      recording.read(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      recording.read(b, off, len);
    }
  }

  /**
   * Copies what the application reads. A byte read again after {@code reset()} is not copied
   * again; a skipped byte is read (into a scratch buffer) so the copy has no hole.
   */
  private static final class TeeInputStream extends FilterInputStream {
    private final Recording recording;
    private long position;
    private long copied;
    private long mark = -1;

    TeeInputStream(InputStream in, Recording recording) {
      super(in);
      this.recording = recording;
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = in.read();
      } catch (IOException | RuntimeException e) {
        recording.finish(e);
        throw e;
      }
      if (b < 0) {
        recording.finish(null);
      } else {
        if (position++ == copied) {
          copied++;
          recording.read(b);
        }
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        recording.finish(e);
        throw e;
      }
      if (n < 0) {
        recording.finish(null);
      } else if (n > 0) {
        long end = position + n;
        if (end > copied) {
          int fresh = (int) (end - Math.max(copied, position));
          recording.read(b, off + n - fresh, fresh);
          copied = end;
        }
        position = end;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      if (n <= 0) {
        return 0;
      }
      byte[] scratch = new byte[(int) Math.min(n, 8192)];
      int read = read(scratch, 0, scratch.length);
      return Math.max(read, 0);
    }

    @Override
    public synchronized void mark(int readlimit) {
      in.mark(readlimit);
      mark = position;
    }

    @Override
    public synchronized void reset() throws IOException {
      in.reset();
      if (mark >= 0) {
        position = mark;
      }
    }

    @Override
    public void close() throws IOException {
      recording.finish(null);
      in.close();
    }
  }
}
