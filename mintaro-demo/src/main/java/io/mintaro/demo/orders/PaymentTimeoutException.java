package io.mintaro.demo.orders;

import java.time.Duration;

/** Payments did not answer in time; orders answers 504. */
final class PaymentTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String orderId;

  PaymentTimeoutException(String orderId, Duration timeout, Throwable cause) {
    super("payments did not answer within " + timeout.toMillis() + " ms for order " + orderId, cause);
    this.orderId = orderId;
  }

  String orderId() {
    return orderId;
  }
}
