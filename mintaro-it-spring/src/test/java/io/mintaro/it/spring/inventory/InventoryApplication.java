package io.mintaro.it.spring.inventory;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The inventory service the shop calls: lamps are out of stock. */
@SpringBootApplication
public class InventoryApplication {

  @RestController
  static class Reservations {
    private static final Logger log = LoggerFactory.getLogger(Reservations.class);
    private static final Pattern ITEM = Pattern.compile("\"item\"\\s*:\\s*\"([a-z]+)\"");
    private final Map<String, Integer> stock = Map.of("book", 3, "lamp", 0);

    @PostMapping("/reservations")
    ResponseEntity<String> reserve(@RequestBody String body) {
      Matcher m = ITEM.matcher(body);
      String item = m.find() ? m.group(1) : "?";
      log.info("reserving {}", item);
      if (stock.getOrDefault(item, 0) < 1) {
        return ResponseEntity.status(409).body("{\"error\":\"" + item + " is out of stock\"}");
      }
      return ResponseEntity.status(201).body("{\"reservation\":\"r-1\"}");
    }
  }
}
