package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * Bodies and log lines are written by whoever calls the monitored services. The request
 * {@code /checkout?item=<img src=x onerror=alert(1)>} puts markup into a log line, a request body
 * and a URL; the UI must show it as text.
 */
class XssTest extends UiTest {

  @Test
  void markup_in_a_log_line_and_a_body_renders_as_text() {
    open("/traces/" + stack.xssTrace, "trace");

    WebElement line = driver.findElement(By.id("logs")).findElements(By.cssSelector(".log-line")).stream()
        .filter(l -> l.getText().contains("checkout started")).findFirst().orElseThrow();
    assertThat(line.findElement(By.cssSelector(".log-msg")).getText())
        .isEqualTo("checkout started for item=" + UiStack.XSS + " mode=fail");
    assertThat(line.findElements(By.tagName("img"))).isEmpty();

    // the frontend's outbound exchange carries it in its JSON body
    all(By.cssSelector("#waterfall .span-row[data-service=frontend]")).get(1).click();
    WebElement body = visible(By.cssSelector("#span-details .exchange[data-direction=outbound] .request pre.body"));
    assertThat(body.getText()).contains("\"item\": \"" + UiStack.XSS + "\"");

    // nowhere in the page did markup from the data become an element, and nothing ran
    assertThat(js("return document.querySelectorAll('img, iframe, object, embed').length")).isEqualTo(0L);
    assertThat(js("return document.querySelectorAll('script').length")).isEqualTo(1L);
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
  }
}
