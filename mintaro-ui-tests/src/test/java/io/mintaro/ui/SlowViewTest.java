package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

class SlowViewTest extends UiTest {

  @Test
  void lists_the_slow_payments_endpoint_with_its_percentiles() {
    open("/slow", "slow");

    WebElement row = driver.findElement(By.cssSelector("#slow-endpoints tr[data-service=payments][data-name='POST /payments']"));
    List<WebElement> cells = row.findElements(By.tagName("td"));
    assertThat(cells.get(1).getText()).isEqualTo("POST /payments");
    assertThat(Integer.parseInt(cells.get(2).getText())).isGreaterThanOrEqualTo(UiStack.SLOW);
    // slow payments take 1.2 s: the max is in seconds
    assertThat(cells.get(5).getText()).matches("1\\.[0-9]{2} s");
    assertThat(all(By.cssSelector("#slow-spans tbody tr"))).isNotEmpty();
    assertThat(all(By.cssSelector("#slow-endpoints thead th")).stream().map(WebElement::getText).toList())
        .contains("COUNT", "P50", "P95", "MAX");

    new Select(driver.findElement(By.id("s-range"))).selectByValue("15m");
    waiting().until(d -> path().equals("/slow?range=15m"));
    awaitView("slow");
    assertThat(all(By.cssSelector("#slow-endpoints tr[data-name='POST /payments']"))).hasSize(1);
  }
}
