package io.mintaro.demo.orders;

import io.mintaro.Traced;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Orders and stock in the embedded database. Every statement run in a request is a span of its
 * trace (the starter wraps the DataSource), under the {@code reserve-stock} span of
 * {@link #reserve}.
 */
class OrderStore implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger("demo.orders");
  /** What an item costs when it is not in the catalogue yet: the demo takes any item name. */
  static final double LIST_PRICE = 12.5;
  static final int RESTOCK = 100;

  private final JdbcTemplate jdbc;

  OrderStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Prices the order, takes the items from stock and records the order as pending; returns the amount. */
  @Traced("reserve-stock")
  @Transactional
  public double reserve(String orderId, String item, int quantity) {
    List<Double> prices = jdbc.queryForList("SELECT price FROM item WHERE name = ?", Double.class, item);
    double price;
    if (prices.isEmpty()) {
      LOG.debug("{} is not in the catalogue yet, adding it at {}", item, LIST_PRICE);
      jdbc.update("MERGE INTO item (name, price, stock) KEY (name) VALUES (?, ?, ?)", item, LIST_PRICE, RESTOCK);
      price = LIST_PRICE;
    } else {
      price = prices.get(0);
    }
    if (!take(item, quantity)) {
      LOG.info("{} is sold out, restocking {}", item, RESTOCK);
      jdbc.update("UPDATE item SET stock = stock + ? WHERE name = ?", Math.max(RESTOCK, quantity), item);
      take(item, quantity);
    }
    double amount = price * quantity;
    jdbc.update("INSERT INTO orders (id, item, quantity, amount, status) VALUES (?, ?, ?, ?, 'PENDING')",
        orderId, item, quantity, amount);
    return amount;
  }

  private boolean take(String item, int quantity) {
    return jdbc.update("UPDATE item SET stock = stock - ? WHERE name = ? AND stock >= ?", quantity, item, quantity) == 1;
  }

  /** The in-memory database lives until it is shut down (DB_CLOSE_DELAY=-1), so it goes with orders. */
  @Override
  public void destroy() {
    jdbc.execute("SHUTDOWN");
  }

  /** The order's outcome: PAID with the payment's id, or why not. */
  public void settle(String orderId, String status, String paymentId) {
    jdbc.update("UPDATE orders SET status = ?, payment_id = ? WHERE id = ?", status, paymentId, orderId);
  }
}
