package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The waterfall is a tree for the keyboard: up/down move among siblings, left to the parent,
 * right to the first child. Uses the synthetic trace gateway → (catalog, stock), whose root has
 * two children.
 */
class KeyboardTest extends UiTest {

  @Test
  void arrow_keys_move_through_the_span_tree() {
    Synthetic.Trace t = stack.treeTrace;
    String root = t.rootSpanId();
    String toCatalog = t.spanIds().get("gateway -> GET /items");
    String toStock = t.spanIds().get("gateway -> GET /stock");
    String catalog = t.spanIds().get("catalog GET /items");
    open("/traces/" + t.traceId(), "trace");

    row(root).click();
    assertSelected(root);

    press(Keys.ARROW_RIGHT);
    assertSelected(toCatalog);
    press(Keys.ARROW_DOWN);
    assertSelected(toStock);
    press(Keys.ARROW_DOWN);  // no further sibling: stays
    assertSelected(toStock);
    press(Keys.ARROW_UP);
    assertSelected(toCatalog);
    press(Keys.ARROW_RIGHT);
    assertSelected(catalog);
    assertThat(driver.findElement(By.id("span-title")).getText()).isEqualTo("GET /items");
    press(Keys.ARROW_LEFT);
    assertSelected(toCatalog);
    press(Keys.ARROW_LEFT);
    assertSelected(root);
    press(Keys.ARROW_LEFT);  // the root has no parent: stays
    assertSelected(root);
  }

  private static void press(Keys key) {
    new Actions(driver).sendKeys(key).perform();
  }

  private static WebElement row(String spanId) {
    return driver.findElement(By.cssSelector("#waterfall .span-row[data-span-id='" + spanId + "']"));
  }

  /** Exactly this span is highlighted, focused, and its details are shown. */
  private static void assertSelected(String spanId) {
    waiting().until(d -> "true".equals(row(spanId).getAttribute("aria-selected")));
    assertThat(all(By.cssSelector("#waterfall .span-row.selected")))
        .singleElement()
        .satisfies(r -> assertThat(r.getAttribute("data-span-id")).isEqualTo(spanId));
    assertThat(js("return document.activeElement.dataset.spanId")).isEqualTo(spanId);
    assertThat(driver.findElement(By.id("span-details")).getText()).contains(spanId);
  }
}
