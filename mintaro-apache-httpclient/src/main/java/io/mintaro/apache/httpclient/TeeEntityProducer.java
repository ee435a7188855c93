package io.mintaro.apache.httpclient;

import io.mintaro.http.BodyCapture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * The application's request entity producer, unchanged, copying what the connection accepts
 * into the capture. Only the first transmission is captured: a repeatable producer is asked
 * again for a retry or a 307/308, after its resources were released.
 */
final class TeeEntityProducer implements AsyncEntityProducer {
  private final AsyncEntityProducer delegate;
  private final BodyCapture capture;
  private volatile boolean done;
  private DataStreamChannel channel;
  private DataStreamChannel tee;

  TeeEntityProducer(AsyncEntityProducer delegate, BodyCapture capture) {
    this.delegate = delegate;
    this.capture = capture;
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    if (done || channel == null) {
      delegate.produce(channel);
      return;
    }
    if (channel != this.channel) {
      this.channel = channel;
      this.tee = new TeeChannel(channel);
    }
    delegate.produce(tee);
  }

  @Override
  public void releaseResources() {
    done = true;
    delegate.releaseResources();
  }

  @Override
  public void failed(Exception cause) {
    delegate.failed(cause);
  }

  @Override
  public boolean isRepeatable() {
    return delegate.isRepeatable();
  }

  @Override
  public int available() {
    return delegate.available();
  }

  @Override
  public long getContentLength() {
    return delegate.getContentLength();
  }

  @Override
  public String getContentType() {
    return delegate.getContentType();
  }

  @Override
  public String getContentEncoding() {
    return delegate.getContentEncoding();
  }

  @Override
  public boolean isChunked() {
    return delegate.isChunked();
  }

  @Override
  public Set<String> getTrailerNames() {
    return delegate.getTrailerNames();
  }

  private final class TeeChannel implements DataStreamChannel {
    private final DataStreamChannel channel;

    TeeChannel(DataStreamChannel channel) {
      this.channel = channel;
    }

    @Override
    public void requestOutput() {
      channel.requestOutput();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int start = src.position();
      int written = channel.write(src);
      if (written > 0 && !done) {
        try {
          ByteBuffer sent = src.duplicate();
          sent.limit(start + written).position(start);
          capture.write(sent);
        } catch (RuntimeException e) {
          // never into the application: this body is recorded without these bytes
        }
      }
      return written;
    }

    @Override
    public void endStream(List<? extends Header> trailers) throws IOException {
      done = true;
      channel.endStream(trailers);
    }

    @Override
    public void endStream() throws IOException {
      done = true;
      channel.endStream();
    }
  }
}
