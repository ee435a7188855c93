package io.mintaro.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.http.ClientExchange;
import io.mintaro.http.ServerExchange;
import io.mintaro.logging.LogCapture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MintaroExtensionTest {
  @RegisterExtension
  static final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.maxBodySize(8)
      .collector("http://127.0.0.1:9"));

  @Test
  @Order(1)
  void eachTestRecordsIntoItsOwnSdkInstalledAsTheGlobalOne() {
    assertThat(Mintaro.sdk()).isSameAs(mintaro.sdk());
    assertThat(mintaro.sdk().service()).isEqualTo("test");
    try (Span span = Mintaro.startSpan("first test's span")) {
      span.attribute("n", 1);
    }
    assertThat(mintaro.onlyTrace().span("first test's span").attribute("n")).isEqualTo("1");
  }

  @Test
  @Order(2)
  void nothingLeaksFromTheTestBefore() {
    assertThat(mintaro.traces()).isEmpty();
    assertThat(mintaro.triggers()).isEmpty();
    assertThat(Mintaro.traceId()).isNull();
  }

  @Test
  @Order(3)
  void aTestLeavingASpanOpenDoesNotLeaveItCurrentForTheNext() {
    Mintaro.startSpan("left open");
    assertThat(Mintaro.traceId()).isNotNull();
    assertThat(mintaro.onlyTrace().span("left open").status()).isEqualTo("started");
  }

  @Test
  @Order(4)
  void theNextTestStartsWithNoCurrentTrace() {
    assertThat(Mintaro.traceId()).isNull();
    assertThat(mintaro.traces()).isEmpty();
  }

  @Test
  void neverTalksToTheConfiguredCollector() {
    assertThat(mintaro.sdk().stats().connected()).isFalse();
    assertThat(mintaro.sdk().stats().batchesFailed()).isZero();
  }

  @Test
  void recordsTriggersInsteadOfReportingThem() {
    String traceId;
    try (Span span = Mintaro.startSpan("refund")) {
      traceId = span.traceId();
      Mintaro.trigger("refund issued twice");
      Mintaro.trigger("once per trace");
    }
    assertThat(mintaro.triggers()).containsExactly(new RecordedTrigger(traceId, "manual", "refund issued twice"));
  }

  @Test
  void decodesSpansWithTheirParentsAttributesAndErrors() {
    try (Span root = Mintaro.startSpan("root")) {
      try (Span child = Mintaro.startSpan("query", Span.Kind.CLIENT)) {
        child.attribute("db.system.name", "h2").attribute("rows", 3L).attribute("cached", true);
        child.recordError(new IllegalArgumentException("retried"));
      }
      root.fail(new IllegalStateException("gave up"));
    }
    RecordedTrace trace = mintaro.onlyTrace();
    RecordedSpan root = trace.root();
    RecordedSpan query = trace.span("query");
    assertThat(root.name()).isEqualTo("root");
    assertThat(root.status()).isEqualTo("failed");
    assertThat(root.error().type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(root.error().message()).isEqualTo("gave up");
    assertThat(root.error().stack()).contains("decodesSpansWithTheirParentsAttributesAndErrors");
    assertThat(query.parentSpanId()).isEqualTo(root.spanId());
    assertThat(query.kind()).isEqualTo("client");
    assertThat(query.status()).isEqualTo("succeeded");
    assertThat(query.attributes()).containsEntry("db.system.name", "h2").containsEntry("rows", "3")
        .containsEntry("cached", "true");
    assertThat(query.handledErrors()).extracting(RecordedError::message).containsExactly("retried");
    assertThat(query.durationUs()).isGreaterThanOrEqualTo(0);
    assertThat(trace.children(root)).containsExactly(query);
  }

  @Test
  void decodesLogLines() {
    try (Span span = Mintaro.startSpan("work")) {
      LogCapture.record(System.Logger.Level.DEBUG, "app.Orders", "main", System.currentTimeMillis(),
          "loading order 42", null);
      LogCapture.record(System.Logger.Level.WARNING, "app.Orders", "main", System.currentTimeMillis(),
          "slow disk", new java.io.IOException("disk"));
    }
    RecordedTrace trace = mintaro.onlyTrace();
    assertThat(trace.logs()).extracting(RecordedLog::level, RecordedLog::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("DEBUG", "loading order 42"),
            org.assertj.core.groups.Tuple.tuple("WARN", "slow disk"));
    assertThat(trace.logs("WARN").get(0).error().type()).isEqualTo("java.io.IOException");
    assertThat(trace.logs("DEBUG").get(0).logger()).isEqualTo("app.Orders");
    assertThat(trace.logs("DEBUG").get(0).spanId()).isEqualTo(trace.span("work").spanId());
  }

  @Test
  void decodesExchangesWithHeadersBodiesAndBreadcrumbs() {
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.put("x-mintaro-caller", "9c1d2e3f4a5b6c7d");
    ServerExchange server = ServerExchange.start(null, "POST", "http://shop/orders", "/orders", headers::get);
    server.requestHeader("Authorization", "Bearer secret");
    byte[] body = "0123456789".getBytes(StandardCharsets.UTF_8);
    server.requestBody().write(body, 0, body.length);
    ClientExchange call = ClientExchange.start(null, "GET", URI.create("http://payments:8083/pay"));
    call.status(200);
    call.close();
    server.status(201);
    server.close();

    RecordedTrace trace = mintaro.onlyTrace();
    RecordedExchange in = trace.inbound().get(0);
    assertThat(in.method()).isEqualTo("POST");
    assertThat(in.status()).isEqualTo(201);
    assertThat(in.requestHeader("authorization")).doesNotContain("secret");
    assertThat(in.requestBody()).isEqualTo("01234567");
    assertThat(in.requestBodySize()).isEqualTo(10);
    assertThat(in.requestBodyTruncated()).isTrue();
    assertThat(trace.outbound()).singleElement().satisfies(out -> assertThat(out.url()).isEqualTo("http://payments:8083/pay"));
    assertThat(trace.breadcrumbs()).extracting(RecordedBreadcrumb::role).containsExactlyInAnyOrder("caller", "callee");
  }

  @Test
  void listsEveryTraceAndSaysSoWhenOneWasExpected() {
    String a;
    String b;
    try (Span span = Mintaro.startSpan("a")) {
      a = span.traceId();
    }
    try (Span span = Mintaro.startSpan("b")) {
      b = span.traceId();
    }
    assertThat(mintaro.traces()).extracting(RecordedTrace::traceId).containsExactlyInAnyOrder(a, b);
    assertThat(mintaro.trace(a).span("a").name()).isEqualTo("a");
    assertThatThrownBy(mintaro::onlyTrace).isInstanceOf(AssertionError.class).hasMessageContaining("found 2");
    assertThatThrownBy(() -> mintaro.trace("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awaitingATraceThatNeverArrivesFailsWithWhatWasSeen() {
    assertThatThrownBy(() -> mintaro.awaitTrace("4bf92f3577b34da6a3ce929d0e0e4736", t -> !t.spans().isEmpty()))
        .isInstanceOf(AssertionError.class).hasMessageContaining("within 5 s");
  }

  @Test
  void restoresTheGlobalSdkItReplacedAfterTheTest() throws Exception {
    MintaroSdk mine = Mintaro.sdk();
    MintaroExtension nested = new MintaroExtension();
    nested.beforeEach(null);
    assertThat(Mintaro.sdk()).isSameAs(nested.sdk()).isNotSameAs(mine);
    nested.afterEach(null);
    assertThat(Mintaro.sdk()).isSameAs(mine);
  }
}
