package io.mintaro.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Agents that speak protocol v1 (docs/protocol.md) to a real collector without a real service
 * behind them: they register and post batches of synthetic but realistic traces. Used for traces
 * whose shape a test needs (siblings in the span tree) and to fill the store fast.
 */
final class FakeAgents {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String apiKey;
  private final Map<String, String> agents = new LinkedHashMap<>();

  FakeAgents(String base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  /** The agent id of {@code service}, registering it on first use. */
  String agent(String service) throws IOException, InterruptedException {
    String id = agents.get(service);
    if (id == null) {
      id = String.format("%016x", ThreadLocalRandom.current().nextLong());
      ObjectNode body = JSON.createObjectNode().put("agentId", id).put("service", service).put("host", "synthetic")
          .put("pid", 4242).put("sdk", "0.1.0");
      body.putArray("authorities").add(service + ".internal:8080");
      post("/agent/v1/register", body);
      agents.put(service, id);
    }
    return id;
  }

  /**
   * Registers a new agent of {@code service} whose process runs {@code version} of it (protocol,
   * register); returns its id. Unlike {@link #agent}, every call is another process.
   */
  String register(String service, String version) throws IOException, InterruptedException {
    String id = String.format("%016x", ThreadLocalRandom.current().nextLong());
    ObjectNode body = JSON.createObjectNode().put("agentId", id).put("service", service).put("version", version)
        .put("host", service + "-" + id.substring(0, 4)).put("pid", 4242).put("sdk", "0.1.0");
    body.putArray("authorities");
    post("/agent/v1/register", body);
    return id;
  }

  /**
   * Opens a long poll of {@code agentId} carrying its recorder's figures (protocol, poll
   * {@code stats}); not waited for: the collector holds it for its poll timeout.
   */
  void poll(String agentId, ObjectNode stats) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("agentId", agentId);
    body.set("stats", stats);
    http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/agent/v1/poll"))
        .header("Authorization", "Bearer " + apiKey)
        .header("Mintaro-Protocol", "1")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .build(), HttpResponse.BodyHandlers.discarding());
  }

  /** {@code GET path} of the REST API with the key; the parsed answer. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + apiKey)
        .timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  JsonNode post(String path, ObjectNode body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + apiKey)
        .header("Mintaro-Protocol", "1")
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /**
   * Stores traces: first every trigger (the collector keeps records only of triggered traces),
   * then each service's records in one batch per service.
   */
  void send(List<Synthetic.Trace> traces) throws IOException, InterruptedException {
    Map<String, ObjectNode> triggers = new LinkedHashMap<>();
    Map<String, ObjectNode> records = new LinkedHashMap<>();
    for (Synthetic.Trace t : traces) {
      ObjectNode trigger = batch(triggers, t.triggerService());
      ((ArrayNode) trigger.get("triggers")).addObject().put("traceId", t.traceId()).put("kind", t.triggerKind())
          .put("reason", t.triggerReason()).put("atMs", t.triggerAtMs());
      for (Map.Entry<String, ObjectNode> e : t.entries().entrySet()) {
        ((ArrayNode) batch(records, e.getKey()).get("traces")).add(e.getValue());
      }
    }
    for (Map.Entry<String, ObjectNode> e : triggers.entrySet()) {
      post("/agent/v1/batches", e.getValue());
    }
    for (Map.Entry<String, ObjectNode> e : records.entrySet()) {
      post("/agent/v1/batches", e.getValue());
    }
  }

  /**
   * Stores a trace as the triggering service's agent sends it: the trigger together with that
   * service's records in one batch, then the other services' records.
   */
  void sendWithTrigger(Synthetic.Trace t) throws IOException, InterruptedException {
    Map<String, ObjectNode> batches = new LinkedHashMap<>();
    ObjectNode first = batch(batches, t.triggerService());
    ((ArrayNode) first.get("triggers")).addObject().put("traceId", t.traceId()).put("kind", t.triggerKind())
        .put("reason", t.triggerReason()).put("atMs", t.triggerAtMs());
    for (Map.Entry<String, ObjectNode> e : t.entries().entrySet()) {
      ((ArrayNode) batch(batches, e.getKey()).get("traces")).add(e.getValue());
    }
    for (ObjectNode b : batches.values()) {
      post("/agent/v1/batches", b);
    }
  }

  /**
   * Counts {@code occurrences} triggers of one local group of {@code service} whose traces were
   * not collected, as an agent past its limits does (docs/protocol.md, "Counted triggers").
   */
  void count(String service, String endpoint, String problem, long occurrences, long atMs)
      throws IOException, InterruptedException {
    ObjectNode b = JSON.createObjectNode().put("agentId", agent(service));
    b.putArray("counted").addObject().put("kind", "error").put("endpoint", endpoint).put("problem", problem)
        .put("more", occurrences).put("lastAtMs", atMs);
    post("/agent/v1/batches", b);
  }

  private ObjectNode batch(Map<String, ObjectNode> batches, String service) throws IOException, InterruptedException {
    ObjectNode b = batches.get(service);
    if (b == null) {
      b = JSON.createObjectNode().put("agentId", agent(service));
      b.putArray("triggers");
      b.putArray("traces");
      batches.put(service, b);
    }
    return b;
  }

  static List<Synthetic.Trace> list(Synthetic.Trace... traces) {
    return new ArrayList<>(List.of(traces));
  }
}
