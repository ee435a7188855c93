package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Nothing captured is readable without signing in. Each test starts a fresh browser. */
class LoginTest {
  static UiStack stack;

  @BeforeAll
  static void stack() throws Exception {
    if (Browser.available()) {
      stack = UiStack.shared();
    }
  }

  @BeforeEach
  void requireChromium() {
    Browser.requireChromium();
  }

  @Test
  void a_fresh_browser_sees_the_login_form_a_wrong_key_is_refused_and_the_right_key_gets_in() {
    try (Browser.Session session = Browser.start()) {
      ChromeDriver driver = session.driver();
      driver.get(stack.base + "/");

      await(driver, "login");
      assertThat(driver.findElement(By.id("login-form")).isDisplayed()).isTrue();
      assertThat(current(driver)).isEqualTo("/login?next=%2F");
      assertThat(driver.findElements(By.id("groups"))).isEmpty();

      submit(driver, "not-the-right-key");
      new WebDriverWait(driver, Duration.ofSeconds(10))
          .until(d -> !d.findElement(By.id("login-error")).getText().isEmpty());
      assertThat(driver.findElement(By.id("login-error")).getText()).contains("not accepted");
      assertThat(current(driver)).startsWith("/login");

      submit(driver, UiStack.API_KEY);
      await(driver, "dashboard");
      assertThat(current(driver)).isEqualTo("/");
      assertThat(driver.findElement(By.id("groups")).getText()).contains(stack.failGroup);

      // The session survives a reload; signing out ends it.
      driver.navigate().refresh();
      await(driver, "dashboard");
      driver.findElement(By.id("signout")).click();
      await(driver, "login");
      driver.get(stack.base + "/slow");
      await(driver, "login");
      assertThat(current(driver)).isEqualTo("/login?next=%2Fslow");
    }
  }

  @Test
  void signing_in_returns_to_the_page_asked_for() {
    String trace = stack.failedTraces.get(0);
    try (Browser.Session session = Browser.start()) {
      ChromeDriver driver = session.driver();
      driver.get(stack.base + "/traces/" + trace);
      await(driver, "login");

      submit(driver, UiStack.API_KEY);

      await(driver, "trace");
      assertThat(current(driver)).startsWith("/traces/" + trace);
      assertThat(driver.findElement(By.id("trace-id")).getText()).isEqualTo(trace);
    }
  }

  @Test
  void the_api_refuses_a_browser_without_a_session() {
    try (Browser.Session session = Browser.start()) {
      ChromeDriver driver = session.driver();
      driver.get(stack.base + "/login");
      await(driver, "login");
      Object status = ((JavascriptExecutor) driver).executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + "fetch('/api/groups', {credentials: 'same-origin'}).then(r => done(r.status), e => done(String(e)));");
      assertThat(status).isEqualTo(401L);
    }
  }

  static void submit(ChromeDriver driver, String key) {
    WebElement field = driver.findElement(By.id("api-key"));
    field.clear();
    field.sendKeys(key);
    driver.findElement(By.id("sign-in")).click();
  }

  static void await(ChromeDriver driver, String view) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).pollingEvery(Duration.ofMillis(50))
        .until(d -> view.equals(((JavascriptExecutor) d).executeScript("return window.__mintaroView")));
  }

  private static String current(ChromeDriver driver) {
    return (String) driver.executeScript("return location.pathname + location.search");
  }
}
