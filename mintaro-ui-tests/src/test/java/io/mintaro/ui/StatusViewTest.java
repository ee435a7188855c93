package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The status view on the shared stack: its services, and a collector that exports nothing. */
class StatusViewTest extends UiTest {

  @Test
  void lists_the_services_with_their_agents_and_says_that_nothing_is_exported() {
    open("/", "dashboard");
    driver.findElement(By.id("nav-status")).click();
    awaitView("status");
    assertThat(path()).isEqualTo("/status");
    assertThat(driver.findElement(By.id("nav-status")).getAttribute("class")).contains("active");

    List<WebElement> rows = all(By.cssSelector("#services tr.service-row"));
    assertThat(rows).extracting(r -> r.getAttribute("data-service")).contains("frontend", "orders", "payments");
    WebElement payments = rows.stream().filter(r -> "payments".equals(r.getAttribute("data-service"))).findFirst()
        .orElseThrow();
    // The demo's payments SDK is connected by its long poll; the stack's counting agent, also of
    // payments, counts as connected for a while after it registered: the view shows what the API says.
    long connected = connectedAgents("payments");
    assertThat(connected).isBetween(1L, 2L);
    assertThat(payments.findElement(By.cssSelector(".agents")).getText()).isEqualTo(String.valueOf(connected));
    assertThat(payments.getText()).containsAnyOf("just now", "s ago");

    assertThat(driver.findElement(By.id("export-none")).getText()).contains("No exporter is configured");
    assertThat(driver.findElements(By.id("exporters"))).isEmpty();
  }

  private static long connectedAgents(String service) {
    try {
      for (com.fasterxml.jackson.databind.JsonNode row : stack.api("/api/services").path("services")) {
        if (row.path("name").asText().equals(service)) {
          return row.path("agents").asLong();
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no service " + service);
  }
}
