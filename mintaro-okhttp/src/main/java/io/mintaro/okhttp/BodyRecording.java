package io.mintaro.okhttp;

import io.mintaro.http.ClientExchange;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import okio.Buffer;

/**
 * The response side of one call: the body bytes the application reads, and the end of the
 * exchange, once, by whichever comes first: end of body, close, or a failed read.
 */
final class BodyRecording {
  private static final AtomicIntegerFieldUpdater<BodyRecording> FINISHED =
      AtomicIntegerFieldUpdater.newUpdater(BodyRecording.class, "finished");

  private final ClientExchange exchange;
  private final CaptureStream body;
  private volatile int finished;

  BodyRecording(ClientExchange exchange) {
    this.exchange = exchange;
    this.body = new CaptureStream(exchange.responseBody());
  }

  /** The last {@code count} bytes of {@code buffer} were just read by the application. */
  void read(Buffer buffer, long count) {
    if (finished == 0) {
      body.copy(buffer, buffer.size() - count, count);
    }
  }

  /** Writes the exchange; {@code error} is why the body could not be read, or null. */
  void finish(Throwable error) {
    if (!FINISHED.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      if (error != null) {
        exchange.fail(error);
      }
    } catch (RuntimeException e) {
      // never into the application
    }
    exchange.close();
  }
}
