package io.mintaro.demo.orders;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * {@code POST /orders}: prices and reserves the order in the database, charges it at payments,
 * answers 201 with the payment. A payment that fails is an exception its handler turns into 502,
 * one that does not answer in time into 504.
 */
@RestController
class OrdersController {
  private static final Logger LOG = LoggerFactory.getLogger("demo.orders");
  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {};

  private final OrderStore store;
  private final RestClient payments;
  private final Duration timeout;

  /** The builder is Boot's, which the starter instruments, with the read timeout of the properties. */
  OrdersController(OrderStore store, RestClient.Builder http, @Value("${demo.payments-url}") URI payments,
      @Value("${spring.http.clients.read-timeout}") Duration timeout) {
    this.store = store;
    this.payments = http.baseUrl(payments.toString()).build();
    this.timeout = timeout;
  }

  @PostMapping("/orders")
  ResponseEntity<Map<String, Object>> create(@RequestBody OrderRequest order) {
    String orderId = UUID.randomUUID().toString().substring(0, 8);
    String item = order.itemOrUnknown();
    LOG.debug("creating order {} for item {}", orderId, item);
    double amount = store.reserve(orderId, item, order.quantityAtLeastOne());
    LOG.debug("order {} costs {}", orderId, amount);
    Map<String, Object> charge = new LinkedHashMap<>();
    charge.put("orderId", orderId);
    charge.put("amount", amount);
    charge.put("mode", order.modeOrNone());
    charge.put("cardToken", "tok_4242");
    Map<String, Object> payment = charge(orderId, charge);
    store.settle(orderId, "PAID", String.valueOf(payment.get("paymentId")));
    Map<String, Object> created = new LinkedHashMap<>();
    created.put("orderId", orderId);
    created.put("amount", amount);
    created.put("payment", payment);
    return ResponseEntity.status(HttpStatus.CREATED).body(created);
  }

  private Map<String, Object> charge(String orderId, Map<String, Object> charge) {
    try {
      ResponseEntity<Map<String, Object>> answer = payments.post()
          .contentType(MediaType.APPLICATION_JSON)
          .body(charge)
          .retrieve()
          .onStatus(HttpStatusCode::isError, (request, response) -> {
            int status = response.getStatusCode().value();
            LOG.debug("payments answered {} for order {}", status, orderId);
            throw new PaymentFailedException(orderId, status, read(response.getBody()));
          })
          .toEntity(JSON_OBJECT);
      LOG.debug("payments answered {} for order {}", answer.getStatusCode().value(), orderId);
      return answer.getBody();
    } catch (PaymentFailedException e) {
      store.settle(orderId, "PAYMENT_FAILED", null);
      throw e;
    } catch (ResourceAccessException e) {
      if (e.getMostSpecificCause() instanceof HttpTimeoutException
          || e.getMostSpecificCause() instanceof SocketTimeoutException) {
        store.settle(orderId, "PAYMENT_TIMED_OUT", null);
        throw new PaymentTimeoutException(orderId, timeout, e);
      }
      throw e;
    }
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> paymentFailed(PaymentFailedException e) {
    LOG.warn("payment for order {} failed with {}", e.orderId(), e.status());
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", "payment failed", "orderId", e.orderId()));
  }

  @ExceptionHandler
  ResponseEntity<Map<String, Object>> paymentTimedOut(PaymentTimeoutException e) {
    LOG.warn("payments did not answer within {} ms for order {}", timeout.toMillis(), e.orderId());
    return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT)
        .body(Map.of("error", "payments timed out", "orderId", e.orderId()));
  }

  private static String read(InputStream body) throws IOException {
    byte[] bytes = body.readNBytes(1024);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
