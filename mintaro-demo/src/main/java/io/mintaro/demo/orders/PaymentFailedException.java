package io.mintaro.demo.orders;

/** Payments answered with an error status; orders answers 502. */
final class PaymentFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String orderId;
  private final int status;

  PaymentFailedException(String orderId, int status, String answer) {
    super("payments answered " + status + " for order " + orderId + ": " + answer);
    this.orderId = orderId;
    this.status = status;
  }

  String orderId() {
    return orderId;
  }

  int status() {
    return status;
  }
}
