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
    // The demo's payments service runs one SDK, connected by its long poll.
    assertThat(payments.findElement(By.cssSelector(".agents")).getText()).isEqualTo("1");
    assertThat(payments.getText()).containsAnyOf("just now", "s ago");

    assertThat(driver.findElement(By.id("export-none")).getText()).contains("No exporter is configured");
    assertThat(driver.findElements(By.id("exporters"))).isEmpty();
  }
}
