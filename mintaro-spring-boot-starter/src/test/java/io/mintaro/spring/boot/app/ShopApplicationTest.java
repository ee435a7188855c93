package io.mintaro.spring.boot.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedError;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedLog;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import io.mintaro.test.RecordedTrigger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.server.ResponseStatusException;

/**
 * The starter in a real application on a real Tomcat, with nothing configured: what a request
 * leaves in its trace. Test mode replaces the global SDK for each test, and the starter's
 * integrations follow it, so the cached application context serves every test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.application.name=shop", "management.endpoint.health.show-details=always"})
class ShopApplicationTest {
  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  @LocalServerPort
  int port;

  private final HttpClient user = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpResponse<String> get(String path) throws Exception {
    return user.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The only trace, once it has {@code inbound} exchanges and its server spans are all finished. */
  private RecordedTrace awaitServed(int inbound) {
    return mintaro.awaitOnlyTrace(t -> t.inbound().size() == inbound
        && t.spans().stream().filter(s -> s.kind().equals("server")).noneMatch(s -> s.status().equals("started")));
  }

  private static RecordedSpan server(RecordedTrace trace, String name) {
    return trace.spans().stream().filter(s -> s.kind().equals("server") && s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no server span " + name + " in " + trace.spans()));
  }

  @Test
  void everyRequestIsRecordedWithItsExchangeAndLogs() throws Exception {
    HttpResponse<String> response = get("/hello?lang=en");

    assertThat(response.body()).isEqualTo("hello");
    assertThat(response.headers().firstValue("X-Mintaro-Callee")).hasValue(mintaro.sdk().agentId());
    RecordedTrace trace = awaitServed(1);
    RecordedSpan root = trace.root();
    assertThat(root.name()).isEqualTo("GET /hello");
    assertThat(root.kind()).isEqualTo("server");
    assertThat(root.status()).isEqualTo("succeeded");
    RecordedExchange exchange = trace.inbound().get(0);
    assertThat(exchange.url()).isEqualTo("http://127.0.0.1:" + port + "/hello?lang=en");
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.responseBody()).isEqualTo("hello");
    assertThat(trace.logs()).extracting(RecordedLog::level, RecordedLog::message)
        .contains(org.assertj.core.groups.Tuple.tuple("INFO", "hello at info"));
    assertThat(trace.logs()).as("the logger's level still decides by default").extracting(RecordedLog::level)
        .doesNotContain("DEBUG");
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void theFilterIsFirstInTheChain() throws Exception {
    assertThat(get("/hello").headers().firstValue("X-In-Trace"))
        .as("a filter ordered right after Mintaro's already runs in the trace").hasValue("true");
  }

  @Test
  void anExceptionHandlerAnswering500KeepsTheExceptionOnTheSpanAndTriggersWithIt() throws Exception {
    HttpResponse<String> response = get("/handled?status=500");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("sorry: book is out of stock");
    RecordedTrace trace = awaitServed(1);
    RecordedSpan root = trace.root();
    assertThat(root.handledErrors()).extracting(RecordedError::type, RecordedError::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ShopController.OutOfStock.class.getName(),
            "book is out of stock"));
    assertThat(root.status()).isEqualTo("failed");
    assertThat(trace.inbound().get(0).status()).isEqualTo(500);
    assertThat(mintaro.triggers()).extracting(RecordedTrigger::traceId, RecordedTrigger::kind)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(trace.traceId(), "error"));
  }

  @Test
  void anExceptionHandlerAnsweringAClientErrorKeepsTheExceptionWithoutTriggering() throws Exception {
    HttpResponse<String> response = get("/handled?status=409");

    assertThat(response.statusCode()).isEqualTo(409);
    RecordedTrace trace = awaitServed(1);
    assertThat(trace.root().handledErrors()).extracting(RecordedError::type)
        .containsExactly(ShopController.OutOfStock.class.getName());
    assertThat(trace.root().status()).isEqualTo("succeeded");
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void aResponseStatusExceptionIsKeptAndItsServerErrorTriggers() throws Exception {
    HttpResponse<String> response = get("/unavailable");

    assertThat(response.statusCode()).isEqualTo(503);
    RecordedTrace trace = awaitServed(1);
    assertThat(trace.root().handledErrors()).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(ResponseStatusException.class.getName());
      assertThat(e.message()).contains("payments are down");
    });
    assertThat(mintaro.triggers()).extracting(RecordedTrigger::kind).containsExactly("error");
  }

  @Test
  void anUnhandledExceptionAndItsErrorPageAreOneServerSpan() throws Exception {
    HttpResponse<String> response = get("/boom");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).as("Boot's error page still answers").contains("\"status\":500");
    RecordedTrace trace = awaitServed(1);
    assertThat(trace.spans()).filteredOn(s -> s.kind().equals("server")).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("GET /boom");
      assertThat(s.status()).isEqualTo("failed");
      assertThat(s.error().type()).isEqualTo(IllegalStateException.class.getName());
      assertThat(s.handledErrors()).as("no resolver handled it: a failure, not a handled error").isEmpty();
    });
    assertThat(trace.inbound()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(500));
    assertThat(mintaro.triggers()).extracting(RecordedTrigger::kind).containsExactly("error");
  }

  @Test
  void aRestClientFromBootsBuilderCarriesTheTraceAndRecordsTheCall() throws Exception {
    assertCalledThrough("/rest-client", "via rest client: hello");
  }

  @Test
  void aRestTemplateFromBootsBuilderCarriesTheTraceAndRecordsTheCall() throws Exception {
    assertCalledThrough("/rest-template", "via rest template: hello");
  }

  @Test
  void aJdkHttpClientBeanCarriesTheTraceAndRecordsTheCall() throws Exception {
    assertCalledThrough("/http-client", "via http client: hello");
  }

  private void assertCalledThrough(String path, String answer) throws Exception {
    HttpResponse<String> response = get(path);

    assertThat(response.body()).isEqualTo(answer);
    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.inbound().size() == 2 && t.outbound().size() == 1);
    RecordedSpan outer = server(trace, "GET " + path);
    RecordedSpan inner = server(trace, "GET /hello");
    RecordedSpan client = trace.spans().stream().filter(s -> s.kind().equals("client")).findFirst().orElseThrow();
    assertThat(client.parentSpanId()).isEqualTo(outer.spanId());
    assertThat(inner.parentSpanId()).as("the callee continued the caller's trace").isEqualTo(client.spanId());
    RecordedExchange call = trace.outbound().get(0);
    assertThat(call.spanId()).isEqualTo(client.spanId());
    assertThat(call.status()).isEqualTo(200);
    assertThat(call.responseBody()).isEqualTo("hello");
    assertThat(call.requestHeader("traceparent")).contains(trace.traceId());
  }

  @Test
  void statementsOfTheDataSourceAreClientSpans() throws Exception {
    HttpResponse<String> response = get("/items");

    assertThat(response.body()).isEqualTo("[\"book\",\"pen\"]");
    RecordedTrace trace = mintaro.awaitOnlyTrace(t -> t.spans().stream().anyMatch(s -> s.name().startsWith("SELECT")
        && !s.status().equals("started")) && t.inbound().size() == 1);
    RecordedSpan select = trace.spans().stream().filter(s -> s.name().startsWith("SELECT")).findFirst().orElseThrow();
    assertThat(select.kind()).isEqualTo("client");
    assertThat(select.parentSpanId()).isEqualTo(trace.root().spanId());
    assertThat(select.attribute("db.query.text")).isEqualTo("SELECT name FROM items WHERE qty > ? ORDER BY name");
    assertThat(select.attribute("db.system.name")).isEqualTo("h2database");
  }

  @Test
  void anAsyncMethodRunsInTheRequestsTrace() throws Exception {
    HttpResponse<String> response = get("/async");

    assertThat(response.body()).isEqualTo("counted");
    RecordedTrace trace = awaitServed(1);
    assertThat(trace.logs()).filteredOn(l -> l.message().startsWith("counting on")).singleElement().satisfies(l -> {
      assertThat(l.spanId()).isEqualTo(trace.root().spanId());
      assertThat(l.thread()).as("Boot's task executor").startsWith("task-");
    });
  }

  @Test
  void anMvcCallableIsRecordedWhenItsAnswerIsWritten() throws Exception {
    HttpResponse<String> response = get("/callable");

    assertThat(response.body()).isEqualTo("answered later");
    RecordedTrace trace = awaitServed(1);
    assertThat(trace.spans()).filteredOn(s -> s.kind().equals("server")).hasSize(1);
    assertThat(trace.inbound().get(0).responseBody()).isEqualTo("answered later");
    assertThat(trace.logs()).extracting(RecordedLog::message).contains("answering later");
  }

  @Test
  void aTracedMethodIsASpanOfItsOwn() throws Exception {
    HttpResponse<String> response = get("/price?item=book");
    assertThat(response.body()).isEqualTo("price: 12");

    RecordedTrace trace = awaitServed(1);
    RecordedSpan lookup = trace.span("price-lookup");
    assertThat(lookup.kind()).isEqualTo("internal");
    assertThat(lookup.status()).isEqualTo("succeeded");
    assertThat(lookup.parentSpanId()).isEqualTo(trace.root().spanId());
  }

  @Test
  void aTracedMethodThatThrowsFailsItsSpanAndTheCallerStillGetsTheException() throws Exception {
    HttpResponse<String> response = get("/price?item=unknown");
    assertThat(response.body()).as("the controller caught it").isEqualTo("no price");

    RecordedTrace trace = awaitServed(1);
    RecordedSpan lookup = trace.span("price-lookup");
    assertThat(lookup.status()).isEqualTo("failed");
    assertThat(lookup.error().message()).isEqualTo("no such item: unknown");
    assertThat(trace.root().status()).isEqualTo("succeeded");
  }

  @Test
  void theHealthContributorSaysUpWithoutACollector() throws Exception {
    HttpResponse<String> response = get("/actuator/health/mintaro");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"service\":\"shop\"")
        .contains("\"collector\":\"none (recording locally)\"");
  }
}
