package io.mintaro.it.spring.shop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The shop: prices an item from its embedded database, reserves it at the inventory service
 * through a {@code RestClient}, and turns a refusal into a 500 in an {@code @ExceptionHandler}.
 * No Mintaro code: the starter and {@code mintaro.collector} are all there is.
 */
@SpringBootApplication
public class ShopApplication {

  @Bean
  RestClient inventory(RestClient.Builder builder, @Value("${inventory.url}") String url) {
    return builder.baseUrl(url).build();
  }

  @RestController
  static class Checkout {
    private static final Logger log = LoggerFactory.getLogger(Checkout.class);
    private final JdbcTemplate jdbc;
    private final RestClient inventory;

    Checkout(JdbcTemplate jdbc, RestClient inventory) {
      this.jdbc = jdbc;
      this.inventory = inventory;
    }

    @GetMapping("/checkout")
    String checkout(@RequestParam("item") String item) {
      log.info("checkout of {}", item);
      Integer price = jdbc.queryForObject("SELECT price_cents FROM items WHERE name = ?", Integer.class, item);
      String reservation = inventory.post().uri("/reservations").contentType(MediaType.APPLICATION_JSON)
          .body("{\"item\":\"" + item + "\",\"qty\":1}").retrieve().body(String.class);
      return "reserved " + item + " at " + price + ": " + reservation;
    }

    @ExceptionHandler(HttpClientErrorException.class)
    ResponseEntity<String> refused(HttpClientErrorException e) {
      log.warn("the inventory refused: {}", e.getStatusCode());
      return ResponseEntity.status(500).body("checkout failed: " + e.getResponseBodyAsString());
    }
  }
}
