package io.mintaro.demo.orders;

import io.mintaro.MintaroSdk;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * orders, as a Spring Boot application: Spring MVC on Jetty, an embedded H2 database used through
 * {@code JdbcTemplate}, a {@code RestClient} to payments, and Mintaro through its starter only
 * (filter, MVC exception handlers, RestClient, JDBC, Logback, {@code @Traced}).
 *
 * <p>It shares the demo's JVM with the collector and the plain-servlet services, so it is given
 * its SDK as a bean (the starter then builds none) and its settings as command-line arguments,
 * which no environment variable or stray {@code application.properties} overrides; the rest of
 * its configuration is {@code io/mintaro/demo/orders/orders.properties}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({OrdersController.class, OrderStore.class})
public class OrdersApplication {
  /** Each start in this JVM gets a fresh in-memory database; the tests start orders many times. */
  private static final AtomicInteger STARTS = new AtomicInteger();

  /**
   * Starts orders on {@code port} (0 picks a free one) and returns once it answers.
   *
   * @param sdk orders' own SDK; the caller closes it after the application
   * @param payments where {@code POST /payments} is
   * @param timeout how long orders waits for payments' answer
   */
  public static ConfigurableApplicationContext start(MintaroSdk sdk, int port, URI payments, Duration timeout) {
    int n = STARTS.incrementAndGet();
    String database = n == 1 ? "orders" : "orders-" + n;
    ApplicationContextInitializer<ConfigurableApplicationContext> ownSdk =
        context -> context.getBeanFactory().registerSingleton("ordersMintaroSdk", sdk);
    return new SpringApplicationBuilder(OrdersApplication.class)
        .initializers(ownSdk)
        .run("--spring.config.location=classpath:/io/mintaro/demo/orders/orders.properties",
            "--server.port=" + port,
            "--spring.datasource.url=jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1",
            "--demo.payments-url=" + payments,
            "--spring.http.clients.read-timeout=" + timeout.toMillis() + "ms");
  }

  /** The port the application's server listens on. */
  public static int port(ConfigurableApplicationContext application) {
    return ((WebServerApplicationContext) application).getWebServer().getPort();
  }
}
