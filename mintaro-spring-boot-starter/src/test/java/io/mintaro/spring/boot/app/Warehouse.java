package io.mintaro.spring.boot.app;

import io.mintaro.Traced;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

@Service
public class Warehouse {
  private static final Logger log = LoggerFactory.getLogger(Warehouse.class);

  @Async
  public CompletableFuture<String> countLater() {
    log.info("counting on {}", Thread.currentThread().getName());
    return CompletableFuture.completedFuture("counted");
  }

  @Traced("price-lookup")
  public int price(String item) {
    log.debug("pricing {}", item);
    if (item.equals("unknown")) {
      throw new IllegalArgumentException("no such item: " + item);
    }
    return 12;
  }
}
