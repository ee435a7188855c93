package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.collector.access.Keys;
import io.mintaro.collector.store.ApiKey;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Storage;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo runs in the {@code demo} namespace; a person who holds keys of two namespaces signs in
 * with both and switches between them at the top of every page.
 */
class NamespaceSwitcherTest {
  static UiStack stack;
  static String otherKey;

  @BeforeAll
  static void stackWithASecondNamespace() throws Exception {
    if (!Browser.available()) {
      return;
    }
    stack = UiStack.shared();
    // An operator's command line, on the same database: a namespace with nothing stored yet.
    try (Storage store = Storage.open(Database.sqlite(stack.dir.resolve("mintaro.db")))) {
      store.namespaces().create("search-team", System.currentTimeMillis());
      otherKey = Keys.create(store.namespaces(), "search-team", ApiKey.Kind.READ, "ui test",
          System.currentTimeMillis()).text();
    }
  }

  @BeforeEach
  void requireChromium() {
    Browser.requireChromium();
  }

  @Test
  void a_second_key_adds_its_namespace_to_the_switcher_and_each_namespace_shows_only_its_own() {
    try (Browser.Session session = Browser.start()) {
      ChromeDriver driver = session.driver();
      driver.get(stack.base + "/login");
      LoginTest.await(driver, "login");
      LoginTest.submit(driver, UiStack.API_KEY);
      LoginTest.await(driver, "dashboard");
      // One namespace: no switcher.
      assertThat(driver.findElement(By.id("namespace")).isDisplayed()).isFalse();
      assertThat(namespace(driver)).isEqualTo("demo");
      assertThat(driver.findElement(By.id("groups")).getText()).contains(stack.failGroup);

      driver.findElement(By.id("add-namespace")).click();
      LoginTest.await(driver, "login");
      LoginTest.submit(driver, otherKey);
      LoginTest.await(driver, "dashboard");
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> d.findElement(By.id("namespace")).isDisplayed());
      Select select = new Select(driver.findElement(By.id("namespace")));
      assertThat(select.getOptions()).extracting(WebElement::getText).containsExactly("demo", "search-team");

      select.selectByVisibleText("search-team");
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> !d.findElements(By.id("groups-empty")).isEmpty() && "search-team".equals(namespace(d)));
      assertThat(driver.findElements(By.id("groups"))).isEmpty();

      // The choice holds across pages and reloads, and switching back shows the demo's errors again.
      driver.navigate().refresh();
      LoginTest.await(driver, "dashboard");
      assertThat(driver.findElements(By.id("groups-empty"))).isNotEmpty();
      new Select(driver.findElement(By.id("namespace"))).selectByVisibleText("demo");
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> !d.findElements(By.id("groups")).isEmpty()
              && d.findElement(By.id("groups")).getText().contains(stack.failGroup));
    }
  }

  private static String namespace(org.openqa.selenium.WebDriver driver) {
    return (String) ((JavascriptExecutor) driver).executeScript("return document.body.dataset.namespace || null");
  }
}
