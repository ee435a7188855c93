package io.mintaro.spring.boot.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.server.ResponseStatusException;

@RestController
class ShopController {
  private static final Logger log = LoggerFactory.getLogger(ShopController.class);

  private final Environment environment;
  private final RestClient restClient;
  private final RestTemplate restTemplate;
  private final HttpClient httpClient;
  private final JdbcTemplate jdbc;
  private final Warehouse warehouse;

  ShopController(Environment environment, RestClient restClient, RestTemplate restTemplate, HttpClient httpClient,
      JdbcTemplate jdbc, Warehouse warehouse) {
    this.environment = environment;
    this.restClient = restClient;
    this.restTemplate = restTemplate;
    this.httpClient = httpClient;
    this.jdbc = jdbc;
    this.warehouse = warehouse;
  }

  private URI self(String path) {
    return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
  }

  @GetMapping("/hello")
  String hello() {
    log.debug("hello at debug");
    log.info("hello at info");
    return "hello";
  }

  /** An error the application handles itself, answering {@code status}. */
  @GetMapping("/handled")
  String handled(@RequestParam("status") int status) {
    throw new OutOfStock("book", status);
  }

  @ExceptionHandler(OutOfStock.class)
  ResponseEntity<String> outOfStock(OutOfStock e) {
    log.warn("out of stock: {}", e.getMessage());
    return ResponseEntity.status(e.status).body("sorry: " + e.getMessage());
  }

  @GetMapping("/unavailable")
  String unavailable() {
    throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "payments are down");
  }

  @GetMapping("/boom")
  String boom() {
    throw new IllegalStateException("the shelf collapsed");
  }

  @GetMapping("/rest-client")
  String viaRestClient() {
    return "via rest client: " + restClient.get().uri(self("/hello")).retrieve().body(String.class);
  }

  @GetMapping("/rest-template")
  String viaRestTemplate() {
    return "via rest template: " + restTemplate.getForObject(self("/hello"), String.class);
  }

  @GetMapping("/http-client")
  String viaHttpClient() throws Exception {
    return "via http client: " + httpClient.send(HttpRequest.newBuilder(self("/hello")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @GetMapping("/items")
  List<String> items() {
    return jdbc.queryForList("SELECT name FROM items WHERE qty > ? ORDER BY name", String.class, 0);
  }

  @GetMapping("/async")
  String async() {
    return warehouse.countLater().join();
  }

  @GetMapping("/callable")
  Callable<String> callable() {
    return () -> {
      log.info("answering later");
      return "answered later";
    };
  }

  @GetMapping("/price")
  String price(@RequestParam("item") String item) {
    try {
      return "price: " + warehouse.price(item);
    } catch (IllegalArgumentException e) {
      return "no price";
    }
  }

  static final class OutOfStock extends RuntimeException {
    final int status;

    OutOfStock(String item, int status) {
      super(item + " is out of stock");
      this.status = status;
    }
  }
}
