package io.mintaro.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A signed-in Chromium on the shared stack, one browser per test class. */
abstract class UiTest {
  static UiStack stack;
  static Browser.Session session;
  static ChromeDriver driver;

  @BeforeAll
  static void startBrowser() throws Exception {
    if (!Browser.available()) {
      return; // each test then reports why it is skipped (or fails, on CI)
    }
    stack = UiStack.shared();
    session = Browser.start();
    driver = session.driver();
    signIn(UiStack.API_KEY);
    awaitView("dashboard");
  }

  @BeforeEach
  void requireChromium() {
    Browser.requireChromium();
  }

  @AfterAll
  static void stopBrowser() {
    if (session != null) {
      session.close();
      session = null;
    }
  }

  /** Opens a path of the UI (a full page load) and waits until its view has rendered. */
  static void open(String path, String view) {
    driver.get(stack.base + path);
    awaitView(view);
  }

  static void signIn(String key) {
    driver.get(stack.base + "/login");
    awaitView("login");
    WebElement field = driver.findElement(By.id("api-key"));
    field.clear();
    field.sendKeys(key);
    driver.findElement(By.id("sign-in")).click();
  }

  /** Waits until the app has rendered {@code view} (it sets body[data-view] after rendering). */
  static void awaitView(String view) {
    waiting().until(d -> view.equals(((JavascriptExecutor) d).executeScript("return window.__mintaroView")));
  }

  static WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    wait.pollingEvery(Duration.ofMillis(50));
    return wait;
  }

  static WebElement visible(By by) {
    return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  static List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  static Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** Saves the page as a PNG of {@code width} × {@code height} pixels (for the README), scrolled to the top. */
  static void screenshot(Path file, int width, int height) throws IOException {
    js("window.scrollTo(0, 0)");
    Dimension size = driver.manage().window().getSize();
    try {
      driver.manage().window().setSize(new Dimension(width, height));
      js("document.activeElement && document.activeElement.blur()");
      byte[] png = driver.getScreenshotAs(OutputType.BYTES);
      Files.createDirectories(file.getParent());
      Files.write(file, png);
    } finally {
      driver.manage().window().setSize(size);
    }
  }

  static String path() {
    return (String) js("return location.pathname + location.search");
  }
}
