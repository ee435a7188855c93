package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Triage on the synthetic group (so the other tests' groups keep their state). */
class TriageTest extends UiTest {

  @Test
  void a_triage_mark_level_and_note_persist_across_a_reload() throws Exception {
    String fp = stack.fingerprint(UiStack.SYNTHETIC_GROUP);
    open("/groups/" + fp, "group");
    assertThat(driver.findElement(By.id("group-name")).getText()).startsWith(UiStack.SYNTHETIC_GROUP).contains("new");
    assertThat(pressed("mark")).isEqualTo("none");

    driver.findElement(By.cssSelector("#triage-mark [data-mark=crash]")).click();
    awaitSaved();
    driver.findElement(By.cssSelector("#triage-level [data-level=warn]")).click();
    awaitSaved();
    WebElement note = driver.findElement(By.id("triage-note"));
    note.sendKeys("stock times out under load; see INC-42");
    driver.findElement(By.id("triage-save-note")).click();
    awaitSaved();
    // reflected at once in the header
    assertThat(driver.findElement(By.id("group-head")).getText()).contains("crash", "warn", "INC-42");
    assertThat(driver.findElement(By.id("group-name")).getText()).doesNotContain("new");

    driver.navigate().refresh();
    awaitView("group");
    assertThat(pressed("mark")).isEqualTo("crash");
    assertThat(pressed("level")).isEqualTo("warn");
    assertThat(driver.findElement(By.id("triage-note")).getAttribute("value")).isEqualTo("stock times out under load; see INC-42");

    // the dashboard shows it as a crash, under the crash filter
    open("/?status=crash", "dashboard");
    WebElement row = DashboardTest.groupRow(UiStack.SYNTHETIC_GROUP);
    assertThat(row.getText()).contains("crash", "warn");

    // silenced groups are hidden unless asked for, and never shown as new
    open("/groups/" + fp, "group");
    driver.findElement(By.cssSelector("#triage-mark [data-mark=silenced]")).click();
    awaitSaved();
    open("/", "dashboard");
    assertThat(DashboardTest.groupNames()).doesNotContain(UiStack.SYNTHETIC_GROUP);
    driver.findElement(By.id("f-silenced")).click();
    waiting().until(d -> path().contains("silenced=show"));
    awaitView("dashboard");
    row = DashboardTest.groupRow(UiStack.SYNTHETIC_GROUP);
    assertThat(row.getText()).contains("silenced");
    assertThat(row.findElements(By.cssSelector(".badge-new"))).isEmpty();
  }

  private static String pressed(String field) {
    return driver.findElement(By.cssSelector("#triage-" + field + " [aria-pressed=true]")).getAttribute("data-" + field);
  }

  private static void awaitSaved() {
    waiting().until(d -> d.findElement(By.id("triage-status")).getText().equals("Saved"));
    js("document.getElementById('triage-status').textContent = ''");
  }
}
