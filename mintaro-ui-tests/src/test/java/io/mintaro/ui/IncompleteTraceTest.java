package io.mintaro.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** A trace one of whose participants never answered is marked incomplete, naming who is missing. */
class IncompleteTraceTest extends UiTest {
  @Test
  void aTraceWithAParticipantThatNeverAnsweredIsMarkedIncompleteNamingIt() throws Exception {
    FakeAgents agents = new FakeAgents(stack.base, UiStack.API_KEY);
    String gateway = agents.agent("gateway");
    String ledger = agents.register("ledger", "3.1.0"); // registered, then gone: it never polls
    String traceId = String.format("%016x%016x", ThreadLocalRandom.current().nextLong() | 1,
        ThreadLocalRandom.current().nextLong());
    long nowUs = System.currentTimeMillis() * 1000;

    ObjectNode batch = FakeAgents.JSON.createObjectNode().put("agentId", gateway);
    batch.putArray("triggers").addObject().put("traceId", traceId).put("kind", "error")
        .put("reason", "HTTP 502 POST /ledger").put("atMs", nowUs / 1000);
    ObjectNode entry = batch.putArray("traces").addObject().put("traceId", traceId).put("reply", false);
    ObjectNode span = entry.putArray("spans").addObject().put("spanId", "00000000000000a1").putNull("parentSpanId")
        .put("name", "POST /transfer").put("kind", "server").put("status", "failed")
        .put("startUs", nowUs - 20_000).put("endUs", nowUs);
    span.putObject("attributes");
    span.putNull("error");
    span.putArray("handledErrors");
    entry.putArray("messages");
    entry.putArray("logs");
    entry.putArray("breadcrumbs").addObject().put("role", "callee").put("agentId", ledger)
        .put("authority", "ledger.internal:8080").putNull("spanId");
    agents.post("/agent/v1/batches", batch);

    JsonNode trace = stack.awaitTrace(traceId, t -> t.path("complete").asBoolean(), Duration.ofSeconds(30));
    assertThat(trace.path("unanswered")).hasSize(1);

    open("/traces/" + traceId, "trace");
    WebElement badge = driver.findElement(By.id("trace-unanswered"));
    assertThat(badge.getText()).isEqualTo("incomplete");
    assertThat(badge.getAttribute("title")).contains("ledger", ledger);
  }
}
