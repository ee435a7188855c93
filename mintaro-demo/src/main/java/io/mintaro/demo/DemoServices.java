package io.mintaro.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mintaro.MintaroSdk;
import io.mintaro.demo.orders.OrdersApplication;
import io.mintaro.httpclient.MintaroHttpClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Three services, frontend → orders → payments, instrumented as a user would. frontend and
 * payments are servlets on embedded Jetty with the filter, the Logback appender and the wrapped
 * HTTP client; orders is a Spring Boot application with an embedded database, instrumented by
 * the starter ({@link OrdersApplication}). Each has its own {@link MintaroSdk}, so they behave as
 * three processes even when they share a JVM.
 *
 * <p>{@code GET /checkout?item=book&mode=fail|slow|hang} forces what payments does; without a
 * mode, payments fails or is slow at the configured random rates.
 */
public final class DemoServices implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DemoService payments;
  private final DemoService orders;
  private final DemoService frontend;

  private DemoServices(DemoService payments, DemoService orders, DemoService frontend) {
    this.payments = payments;
    this.orders = orders;
    this.frontend = frontend;
  }

  public static DemoServices start(DemoOptions options) throws Exception {
    DemoService payments = DemoService.start("payments", sdk("payments", options), options.paymentsPort,
        "/payments", new PaymentsServlet(options));
    DemoService orders;
    try {
      orders = startOrders(options, payments.uri("/payments"));
    } catch (RuntimeException | Error e) {
      payments.close();
      throw e;
    }
    DemoService frontend;
    try {
      frontend = DemoService.start("frontend", sdk("frontend", options), options.frontendPort,
          "/checkout", new FrontendServlet(orders.sdk(), orders.uri("/orders")));
    } catch (Exception | Error e) {
      orders.close();
      payments.close();
      throw e;
    }
    return new DemoServices(payments, orders, frontend);
  }

  private static DemoService startOrders(DemoOptions options, URI payments) {
    MintaroSdk sdk = sdk("orders", options);
    try {
      ConfigurableApplicationContext app = OrdersApplication.start(sdk, options.ordersPort, payments,
          options.ordersTimeout);
      return DemoService.of("orders", sdk, OrdersApplication.port(app), app::close);
    } catch (RuntimeException | Error e) {
      sdk.close();
      throw e;
    }
  }

  private static MintaroSdk sdk(String service, DemoOptions o) {
    return MintaroSdk.builder()
        .service(service)
        .collector(o.collector)
        .apiKey(o.apiKey)
        .bufferSize(o.bufferSize)
        .slowThreshold(o.slowThreshold)
        .triggerGroupLimit(o.triggerGroupLimit)
        .triggerRateLimit(o.triggerRate, o.triggerBurst)
        .uploadRate(o.uploadRate)
        .reconnectMaxDelay(o.reconnectMaxDelay)
        .build();
  }

  public DemoService frontend() {
    return frontend;
  }

  public DemoService orders() {
    return orders;
  }

  public DemoService payments() {
    return payments;
  }

  /** The URL a user calls. */
  public URI checkoutUri(String query) {
    return frontend.uri("/checkout" + (query == null || query.isEmpty() ? "" : "?" + query));
  }

  @Override
  public void close() {
    frontend.close();
    orders.close();
    payments.close();
  }

  static void json(HttpServletResponse resp, int status, Object body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.getWriter().write(JSON.writeValueAsString(body));
  }

  static final class FrontendServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger("demo.frontend");
    private final HttpClient http;
    private final URI orders;

    FrontendServlet(MintaroSdk sdk, URI orders) {
      this.http = MintaroHttpClient.wrap(HttpClient.newHttpClient(), sdk);
      this.orders = orders;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String item = req.getParameter("item") == null ? "book" : req.getParameter("item");
      String mode = req.getParameter("mode") == null ? "" : req.getParameter("mode");
      LOG.debug("checkout started for item={} mode={}", item, mode);
      Map<String, Object> order = new LinkedHashMap<>();
      order.put("item", item);
      order.put("quantity", 1);
      order.put("mode", mode);
      order.put("customer", Map.of("email", "ada@example.com", "password", "hunter2"));
      LOG.debug("sending order to orders service: {}", item);
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(orders)
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer user-session-token")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(order)))
            .build(), HttpResponse.BodyHandlers.ofString());
        LOG.debug("orders answered {}", answer.statusCode());
        if (answer.statusCode() >= 400) {
          LOG.warn("checkout failed: orders answered {}", answer.statusCode());
          json(resp, 502, Map.of("error", "checkout failed", "upstream", answer.statusCode()));
          return;
        }
        LOG.info("checkout complete for {}", item);
        json(resp, 200, Map.of("status", "ok", "order", JSON.readTree(answer.body())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        json(resp, 503, Map.of("error", "interrupted"));
      }
    }
  }

  static final class PaymentsServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger("demo.payments");
    private final DemoOptions options;

    PaymentsServlet(DemoOptions options) {
      this.options = options;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      JsonNode charge = JSON.readTree(req.getInputStream());
      String orderId = charge.path("orderId").asText();
      String mode = charge.path("mode").asText("");
      LOG.debug("charging {} for order {}", charge.path("amount").asDouble(), orderId);
      LOG.trace("card token present: {}", charge.has("cardToken"));
      LOG.debug("fraud check passed for order {}", orderId);
      double dice = ThreadLocalRandom.current().nextDouble();
      if (mode.equals("fail") || (mode.isEmpty() && dice < options.failureRate)) {
        LOG.error("bank declined the card for order " + orderId, new IllegalStateException("card declined: insufficient funds"));
        json(resp, 500, Map.of("error", "card declined", "orderId", orderId));
        return;
      }
      if (mode.equals("slow") || (mode.isEmpty() && dice < options.failureRate + options.slowRate)) {
        LOG.debug("bank is slow today, waiting for order {}", orderId);
        sleep(options.slowDelay);
      }
      if (mode.equals("hang")) {
        LOG.debug("bank connection stalled for order {}", orderId);
        sleep(options.hangDelay);
        LOG.debug("bank answered at last for order {}", orderId);
      }
      LOG.info("payment accepted for order {}", orderId);
      json(resp, 200, Map.of("paymentId", "pay_" + orderId, "status", "captured"));
    }

    private static void sleep(Duration d) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
