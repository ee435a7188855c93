package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The alerts page on the shared stack, with a webhook receiver on loopback: a rule added through
 * the form, its test delivery, the alert of a new error group in the deliveries table, the group
 * silenced for an hour from its page, and the rule deleted. The stack's key is an admin key of its
 * namespace, which rule changes take.
 */
class AlertsViewTest extends UiTest {
  static final String SECRET = "whsec-ui-7d21";
  /** A group no other test has: its first trace is the new group the rule alerts on. */
  static final String PROBE_EXCEPTION = "io.mintaro.ui.AlertProbeException";
  static final String PROBE_GROUP = PROBE_EXCEPTION + " in GET /alert-probe";

  record Received(String timestamp, String signature, String body) {
  }

  static HttpServer receiver;
  static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  @BeforeAll
  static void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(new Received(exchange.getRequestHeaders().getFirst("X-Mintaro-Timestamp"),
          exchange.getRequestHeaders().getFirst("X-Mintaro-Signature"), new String(body, StandardCharsets.UTF_8)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void a_rule_added_in_the_form_delivers_its_test_and_a_new_group_and_is_deleted() throws Exception {
    String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    open("/", "dashboard");
    driver.findElement(By.id("nav-alerts")).click();
    awaitView("alerts");
    assertThat(path()).isEqualTo("/alerts");
    assertThat(driver.findElement(By.id("nav-alerts")).getAttribute("class")).contains("active");
    assertThat(driver.findElement(By.id("rules-empty")).getText()).startsWith("No rule yet");

    // Without the admin key the session may only read: the form says so and adds nothing.
    driver.findElement(By.id("rule-url")).sendKeys(hook);
    driver.findElement(By.id("rule-add")).click();
    waiting().until(d -> d.findElement(By.id("rule-message")).getText().startsWith("Not added"));
    assertThat(driver.findElement(By.id("rule-message")).getText()).contains("admin key");
    assertThat(stack.api("/api/alerts/rules").path("rules")).isEmpty();

    // The rate fields show only for a rate rule.
    assertThat(driver.findElement(By.id("rule-threshold")).isDisplayed()).isFalse();
    new Select(driver.findElement(By.id("rule-kind"))).selectByValue("rate");
    assertThat(driver.findElement(By.id("rule-threshold")).isDisplayed()).isTrue();
    assertThat(driver.findElement(By.id("rule-window")).isDisplayed()).isTrue();
    new Select(driver.findElement(By.id("rule-kind"))).selectByValue("new_group");
    assertThat(driver.findElement(By.id("rule-window")).isDisplayed()).isFalse();

    driver.findElement(By.id("admin-key")).sendKeys(UiStack.API_KEY);
    driver.findElement(By.id("rule-secret")).sendKeys(SECRET);
    WebElement limit = driver.findElement(By.id("rule-rate-limit"));
    limit.clear();
    limit.sendKeys("20");
    driver.findElement(By.id("rule-add")).click();
    waiting().until(d -> d.findElement(By.id("rule-message")).getText().startsWith("Added rule "));
    String id = driver.findElement(By.id("rule-message")).getText().replaceAll("^Added rule (\\S+)\\.$", "$1");
    assertThat(driver.findElement(By.id("rule-url")).getAttribute("value")).isEmpty();
    assertThat(driver.findElement(By.id("rule-secret")).getAttribute("value")).isEmpty();

    WebElement row = visible(By.cssSelector("#alert-rules tr.rule-row[data-rule='" + id + "']"));
    assertThat(driver.findElements(By.cssSelector("#alert-rules thead th")).stream().map(WebElement::getText).toList())
        .containsExactly("RULE", "KIND", "TARGET", "FORMAT", "SIGNED", "LIMIT", "");
    assertThat(cell(row, "rule-kind")).isEqualTo("New group");
    assertThat(cell(row, "rule-host")).isEqualTo("127.0.0.1:" + receiver.getAddress().getPort());
    assertThat(cell(row, "rule-format")).isEqualTo("json");
    assertThat(cell(row, "rule-signed")).isEqualTo("yes");
    assertThat(cell(row, "rule-limit")).isEqualTo("20/min");
    JsonNode saved = stack.api("/api/alerts/rules").path("rules").get(0);
    assertThat(saved.path("id").asText()).isEqualTo(id);
    assertThat(saved.path("url").asText()).isEqualTo(hook);
    assertThat(saved.path("rateLimit").asInt()).isEqualTo(20);
    assertThat(saved.path("signed").asBoolean()).isTrue();

    // Send test: the receiver gets a signed test event, and the row says how it went.
    row.findElement(By.cssSelector("button.rule-test")).click();
    waiting().until(d -> row.findElement(By.cssSelector(".test-result")).getText().startsWith("Delivered"));
    assertThat(row.findElement(By.cssSelector(".test-result")).getText()).isEqualTo("Delivered: HTTP 200");
    Received test = received.poll(10, TimeUnit.SECONDS);
    assertThat(test).isNotNull();
    JsonNode testEvent = FakeAgents.JSON.readTree(test.body());
    assertThat(testEvent.path("event").asText()).isEqualTo("test");
    assertThat(testEvent.path("rule").asText()).isEqualTo(id);
    assertSigned(test);

    // A new error group: the rule alerts, and the deliveries table (refreshed while shown) says so.
    long now = System.currentTimeMillis() * 1000;
    new FakeAgents(stack.base, UiStack.API_KEY).sendWithTrigger(Synthetic.build(
        Synthetic.Call.of("stock", "GET", "/alert-probe", 2).failing(PROBE_EXCEPTION), now - 1_000_000L, 1000));
    Received alert = received.poll(20, TimeUnit.SECONDS);
    assertThat(alert).as("the new group's alert").isNotNull();
    JsonNode alertEvent = FakeAgents.JSON.readTree(alert.body());
    assertThat(alertEvent.path("event").asText()).isEqualTo("new_group");
    assertThat(alertEvent.at("/group/name").asText()).isEqualTo(PROBE_GROUP);
    assertThat(alertEvent.path("rule").asText()).isEqualTo(id);
    assertSigned(alert);
    String fp = alertEvent.at("/group/fingerprint").asText();

    WebElement delivery = waiting().withTimeout(Duration.ofSeconds(15)).until(d -> d.findElements(
        By.cssSelector("#alert-deliveries tr.delivery-row[data-state=delivered]")).stream()
        .filter(r -> r.getText().contains(PROBE_GROUP)).findFirst().orElse(null));
    assertThat(driver.findElements(By.cssSelector("#alert-deliveries thead th")).stream().map(WebElement::getText).toList())
        .containsExactly("RULE", "EVENT", "GROUP", "STATE", "ATTEMPTS", "LAST STATUS", "LAST ERROR", "QUEUED", "DELIVERED");
    assertThat(cell(delivery, "delivery-rule")).isEqualTo(id);
    assertThat(cell(delivery, "delivery-event")).startsWith("new_group");
    assertThat(cell(delivery, "delivery-group-cell")).isEqualTo(PROBE_GROUP);
    assertThat(cell(delivery, "delivery-state")).isEqualTo("delivered");
    assertThat(cell(delivery, "delivery-attempts")).isEqualTo("1");
    assertThat(cell(delivery, "delivery-status")).isEqualTo("HTTP 200");
    assertThat(cell(delivery, "delivery-error")).isEqualTo("–");
    assertThat(cell(delivery, "delivery-delivered")).matches("just now|\\d+s ago");

    // The group link opens the group: silenced for an hour from its triage panel.
    delivery.findElement(By.cssSelector("a.delivery-group")).click();
    awaitView("group");
    assertThat(path()).isEqualTo("/groups/" + fp);
    assertThat(driver.findElement(By.id("triage-silenced-until")).getText()).isEmpty();
    driver.findElement(By.cssSelector("#triage-silence [data-silence='1h']")).click();
    waiting().until(d -> d.findElement(By.id("triage-status")).getText().equals("Saved"));
    assertThat(driver.findElement(By.cssSelector("#triage-mark [aria-pressed=true]")).getAttribute("data-mark"))
        .isEqualTo("silenced");
    JsonNode triage = stack.api("/api/groups/" + fp).path("triage");
    assertThat(triage.path("mark").asText()).isEqualTo("silenced");
    Instant until = Instant.parse(triage.path("silencedUntil").asText());
    assertThat(Duration.between(Instant.now(), until)).isBetween(Duration.ofMinutes(58), Duration.ofMinutes(61));
    String shown = (String) js("const d = new Date(arguments[0]); const p = n => String(n).padStart(2, '0');"
        + "return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;",
        until.toString());
    assertThat(driver.findElement(By.id("triage-silenced-until")).getText()).isEqualTo("silenced until " + shown);
    driver.navigate().refresh();
    awaitView("group");
    assertThat(driver.findElement(By.id("triage-silenced-until")).getText()).isEqualTo("silenced until " + shown);

    // Back on the alerts page (the admin key is gone with the reload): delete the rule.
    open("/alerts", "alerts");
    WebElement again = visible(By.cssSelector("#alert-rules tr.rule-row[data-rule='" + id + "']"));
    driver.findElement(By.id("admin-key")).sendKeys(UiStack.API_KEY);
    again.findElement(By.cssSelector("button.rule-delete")).click();
    driver.switchTo().alert().accept();
    visible(By.id("rules-empty"));
    assertThat(stack.api("/api/alerts/rules").path("rules")).isEmpty();
    // The deliveries stay, for the record.
    assertThat(all(By.cssSelector("#alert-deliveries tr.delivery-row"))).isNotEmpty();
  }

  /** X-Mintaro-Signature: sha256=HMAC-SHA256(secret, "<X-Mintaro-Timestamp>.<body>"), computed here on its own. */
  private static void assertSigned(Received r) throws Exception {
    String timestamp = r.timestamp();
    assertThat(timestamp).isNotNull();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + r.body())
        .getBytes(StandardCharsets.UTF_8)));
    assertThat(r.signature()).isEqualTo(expected);
  }

  private static String cell(WebElement row, String cls) {
    return row.findElement(By.cssSelector("td." + cls)).getText();
  }
}
