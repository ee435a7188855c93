package io.mintaro.internal.print;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.logging.LogCapture;

/**
 * A service that fails and exits while its request is still running: run in a child JVM by
 * {@link FlushAtShutdownTest} with {@code MINTARO_PRINT=json}.
 */
public final class FailsThenExits {
  private FailsThenExits() {}

  public static void main(String[] args) {
    Span request = Mintaro.startSpan("POST /checkout", Span.Kind.SERVER);
    LogCapture.record(System.Logger.Level.ERROR, "shop.Checkout", "main", System.currentTimeMillis(),
        "payment failed", new IllegalStateException("card declined"));
    System.exit(3); // the root never ends: only the flush at shutdown prints the trace
  }
}
