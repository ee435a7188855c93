package io.mintaro.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.mintaro.MintaroSdk;
import io.mintaro.demo.DemoService;
import io.mintaro.httpclient.MintaroHttpClient;
import io.mintaro.testkit.DemoStack;
import io.mintaro.testkit.secrets.SecretCorpus;
import io.mintaro.testkit.secrets.SecretCorpus.Category;
import io.mintaro.testkit.secrets.SecretCorpus.Entry;
import io.mintaro.testkit.secrets.SecretCorpus.Place;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Every secret of the generated corpus (testkit's {@link SecretCorpus}) travels through two real
 * instrumented services, a client request into {@code edge}, forwarded by its instrumented
 * HttpClient to {@code vault}, which logs, throws and answers with it, and every request fails, so
 * that its trace is collected. None of the secrets may then be found in the collector's database
 * file or its WAL, in the REST API's answers, or in what the Zipkin and OTLP exporters sent; each
 * entry's harmless neighbour must be found in its trace, so that a pipeline that stored nothing
 * could not pass.
 */
class SecretCorpusTest {
  static final List<Entry> CORPUS = SecretCorpus.generate(15);
  static final Map<String, Entry> BY_ID = new LinkedHashMap<>();

  @TempDir
  static Path dir;
  static Stack stack;
  static HttpServer receiver;
  static final Queue<byte[]> zipkin = new ConcurrentLinkedQueue<>();
  static final Queue<byte[]> otlp = new ConcurrentLinkedQueue<>();
  static MintaroSdk edgeSdk;
  static MintaroSdk vaultSdk;
  static DemoService edge;
  static DemoService vault;
  /** The trace of each entry, as the API answered it. */
  static final Map<Entry, JsonNode> traces = new LinkedHashMap<>();
  static final Map<Entry, String> traceIds = new LinkedHashMap<>();
  static String traceList;

  @BeforeAll
  static void sendTheCorpusThroughTheStack() throws Exception {
    CORPUS.forEach(e -> BY_ID.put(e.id(), e));
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/api/v2/spans", x -> receive(x, zipkin, 202));
    receiver.createContext("/v1/", x -> receive(x, otlp, 200));
    receiver.start();
    String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
    stack = Stack.start(dir, Stack.defaults(),
        Map.of("MINTARO_EXPORT_ZIPKIN", base, "MINTARO_EXPORT_OTLP", base + "/v1/traces"));
    edgeSdk = sdk("edge");
    vaultSdk = sdk("vault");
    vault = DemoService.start("vault", vaultSdk, 0, "/vault/*", new Vault());
    edge = DemoService.start("edge", edgeSdk, 0, "/corpus/*", new Edge(MintaroHttpClient.wrap(
        HttpClient.newHttpClient(), edgeSdk), vault));
    awaitConnected(edgeSdk, vaultSdk);

    for (Entry e : CORPUS) {
      String traceId = DemoStack.newTraceId();
      traceIds.put(e, traceId);
      assertThat(send(e, traceId)).as("%s answered", e.id()).isEqualTo(502);
    }
    for (Entry e : CORPUS) {
      traces.put(e, stack.awaitTrace(traceIds.get(e), SecretCorpusTest::bothServicesDone, Duration.ofSeconds(20)));
    }
    traceList = strings(stack.api("/api/traces?status=all&limit=500"));
    awaitExports(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {edge, vault, stack}) {
      if (c != null) {
        c.close();
      }
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void the_corpus_covers_every_category_and_each_entrys_neighbour_is_stored_in_its_trace() {
    assertThat(CORPUS.stream().map(Entry::category).distinct()).containsExactlyInAnyOrder(Category.values());
    List<String> missing = new ArrayList<>();
    traces.forEach((e, trace) -> {
      if (trace == null || !bothServicesDone(trace) || !trace.toString().contains(e.neighbour())) {
        missing.add(e.id() + (trace == null ? " (no trace)" : ""));
      }
    });
    assertThat(missing).as("entries whose trace lacks its neighbour").isEmpty();
  }

  @Test
  void no_secret_is_in_the_rest_apis_answers() {
    Map<Entry, String> answers = new LinkedHashMap<>();
    traces.forEach((e, trace) -> answers.put(e, strings(trace)));
    assertNoLeak("the API", e -> answers.get(e) + traceList);
  }

  @Test
  void no_secret_is_in_the_database_file_or_its_wal() throws IOException {
    StringBuilder bytes = new StringBuilder();
    Path db = Stack.database(dir);
    for (Path p : List.of(db, db.resolveSibling(db.getFileName() + "-wal"))) {
      if (Files.exists(p)) {
        bytes.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    // the neighbours of short traces are in plain columns (URLs, log messages): the file is the store
    assertThat(bytes.toString()).contains(CORPUS.get(0).id());
    String all = bytes.toString();
    assertNoLeak("the database", e -> all);
  }

  @Test
  void no_secret_is_in_what_the_zipkin_and_otlp_exporters_sent() {
    String zipkinText = text(zipkin);
    String zipkinStrings = zipkin.stream().map(SecretCorpusTest::strings).reduce("", String::concat);
    String otlpBytes = text(otlp);
    for (String traceId : traceIds.values()) {
      assertThat(zipkinText).as("zipkin export of %s", traceId).contains(traceId);
      assertThat(otlpBytes).as("OTLP export of %s", traceId).contains(binary(traceId));
    }
    assertNoLeak("the exports", e -> zipkinStrings + otlpBytes);
  }

  /** Fails with every leak, and the count per category, when a secret is found in {@code where}. */
  private static void assertNoLeak(String where, Function<Entry, String> text) {
    Map<Category, int[]> counts = new EnumMap<>(Category.class);
    List<String> leaks = new ArrayList<>();
    for (Entry e : CORPUS) {
      int[] c = counts.computeIfAbsent(e.category(), k -> new int[2]);
      c[0]++;
      String t = text.apply(e);
      List<String> found = e.secrets().stream().filter(t::contains).toList();
      if (!found.isEmpty()) {
        c[1]++;
        leaks.add(e.id() + " (" + e.place() + " " + e.name() + "): " + found);
      }
    }
    StringBuilder report = new StringBuilder("secrets leaked into " + where + " per category (leaked/entries):");
    counts.forEach((k, c) -> report.append("\n  ").append(k).append(' ').append(c[1]).append('/').append(c[0]));
    System.out.println(report);
    assertThat(leaks).as(report.toString()).isEmpty();
  }

  // --- the client, the two services and the export receiver -----------------------------------

  /**
   * Sends the entry to edge over a plain socket: the JDK's HttpClient drops some headers
   * ({@code Proxy-Authorization} when there is no proxy), and the corpus must arrive as written.
   * Answers the status code.
   */
  private static int send(Entry e, String traceId) throws IOException {
    String query = e.place() == Place.QUERY
        ? "?" + e.name() + "=" + e.value() + "&" + e.neighbourName() + "=" + e.neighbour() : "";
    byte[] body = e.place() == Place.REQUEST_BODY ? e.value().getBytes(StandardCharsets.UTF_8) : new byte[0];
    StringBuilder head = new StringBuilder("POST /corpus/" + e.id() + query + " HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(edge.port()).append("\r\n")
        .append("X-Mintaro-Trace: ").append(traceId).append("\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n");
    if (e.place() == Place.REQUEST_HEADER) {
      head.append(e.name()).append(": ").append(e.value()).append("\r\n")
          .append(e.neighbourName()).append(": ").append(e.neighbour()).append("\r\n");
    }
    if (e.place() == Place.REQUEST_BODY) {
      head.append("Content-Type: ").append(e.name()).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", edge.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
    }
  }

  /** Forwards each request, headers, query and body, to vault, and vault's answer to the client. */
  static final class Edge extends HttpServlet {
    private final HttpClient http;
    private final DemoService vault;

    Edge(HttpClient http, DemoService vault) {
      this.http = http;
      this.vault = vault;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Entry e = BY_ID.get(req.getPathInfo().substring(1));
      byte[] body = req.getInputStream().readAllBytes();
      String query = req.getQueryString() == null ? "" : "?" + req.getQueryString();
      HttpRequest.Builder forward = HttpRequest.newBuilder(vault.uri("/vault/" + e.id() + query))
          .timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (req.getContentType() != null) {
        forward.header("Content-Type", req.getContentType());
      }
      if (e.place() == Place.REQUEST_HEADER) {
        // the JDK's client drops Proxy-Authorization on its way out: edge's inbound side still has it
        forward.header(e.name(), req.getHeader(e.name())).header(e.neighbourName(), req.getHeader(e.neighbourName()));
      }
      try {
        HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        resp.setStatus(answer.statusCode() >= 500 ? 502 : answer.statusCode());
        for (String name : List.of("Set-Cookie", "X-Corpus-Neighbour", "Content-Type")) {
          answer.headers().allValues(name).forEach(v -> resp.addHeader(name, v));
        }
        resp.getOutputStream().write(answer.body());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        resp.setStatus(503);
      }
    }
  }

  /** Logs, throws or answers with the entry's value, and always fails, so that the trace is collected. */
  static final class Vault extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger("corpus.vault");

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Entry e = BY_ID.get(req.getPathInfo().substring(1));
      req.getInputStream().readAllBytes();
      LOG.debug("vault handles {}", e.id());
      switch (e.place()) {
        case LOG_MESSAGE -> LOG.atLevel(Level.valueOf(e.name())).log(e.value());
        case EXCEPTION_MESSAGE -> {
          switch (e.name()) {
            case "thrown" -> throw new IllegalStateException(e.value());
            case "cause" -> throw new IllegalStateException("vault failed on " + e.id(),
                new IllegalArgumentException(e.value()));
            default -> LOG.error("vault failed on " + e.id(), new IllegalArgumentException(e.value()));
          }
        }
        case RESPONSE_HEADER -> {
          resp.addHeader(e.name(), e.value());
          resp.addHeader(e.neighbourName(), e.neighbour());
        }
        default -> {
        }
      }
      resp.setStatus(500);
      if (e.place() == Place.RESPONSE_BODY) {
        resp.setContentType(e.name());
        resp.getOutputStream().write(e.value().getBytes(StandardCharsets.UTF_8));
      } else {
        resp.setContentType("application/json");
        resp.getOutputStream().write(("{\"failed\":\"" + e.id() + "\"}").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static MintaroSdk sdk(String service) {
    return MintaroSdk.builder()
        .service(service)
        .collector(stack.apiBase())
        .apiKey(Stack.API_KEY)
        .triggerGroupLimit(10_000)
        .reconnectMaxDelay(Duration.ofMillis(500))
        .build();
  }

  private static void awaitConnected(MintaroSdk... sdks) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (MintaroSdk sdk : sdks) {
      while (!sdk.stats().connected() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(sdk.stats().connected()).as("agent connected").isTrue();
    }
  }

  /** Complete, with edge's two exchanges and vault's one. */
  private static boolean bothServicesDone(JsonNode t) {
    return t != null && t.path("complete").asBoolean() && t.path("messages").size() >= 3
        && DemoStack.services(t.path("messages")).containsAll(List.of("edge", "vault"));
  }

  private static void receive(com.sun.net.httpserver.HttpExchange x, Queue<byte[]> into, int status)
      throws IOException {
    into.add(x.getRequestBody().readAllBytes());
    x.sendResponseHeaders(status, -1);
    x.close();
  }

  private static void awaitExports(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String z = text(zipkin);
      String o = text(otlp);
      if (traceIds.values().stream().allMatch(id -> z.contains(id) && o.contains(binary(id)))) {
        return;
      }
      Thread.sleep(200);
    }
  }

  /**
   * Every name and text value of a JSON document, unescaped, one a line: a secret is searched for
   * as it was sent, not as JSON escapes it (a PEM key's backslashes).
   */
  private static String strings(JsonNode json) {
    StringBuilder b = new StringBuilder();
    strings(json, b);
    return b.toString();
  }

  private static void strings(JsonNode n, StringBuilder b) {
    if (n == null) {
      return;
    }
    if (n.isValueNode()) {
      b.append(n.asText()).append('\n');
    }
    n.fields().forEachRemaining(f -> {
      b.append(f.getKey()).append('\n');
      strings(f.getValue(), b);
    });
    if (n.isArray()) {
      n.forEach(c -> strings(c, b));
    }
  }

  private static String strings(byte[] json) {
    try {
      return strings(DemoStack.JSON.readTree(json));
    } catch (IOException e) {
      throw new AssertionError("the Zipkin export is not JSON", e);
    }
  }

  private static String text(Queue<byte[]> payloads) {
    StringBuilder b = new StringBuilder();
    payloads.forEach(p -> b.append(new String(p, StandardCharsets.ISO_8859_1)));
    return b.toString();
  }

  /** The trace id as OTLP's protobuf holds it: 16 raw bytes. */
  private static String binary(String traceId) {
    return new String(HexFormat.of().parseHex(traceId), StandardCharsets.ISO_8859_1);
  }
}
