package io.mintaro.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedBreadcrumb;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The filter puts every request in a trace: the caller's when its headers name a valid one, a new
 * one otherwise. The trace is current for the handler and for nothing after it, and both sides
 * learn who the other is (breadcrumbs). What every server integration does (continuing a
 * traceparent, hostile trace headers, naming this process in the response) is specified by
 * {@link MintaroFilterContractTest}; this class covers the rest.
 */
class MintaroFilterTraceTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE + "-" + CALLER_SPAN + "-01";
  private static final String CALLER_AGENT = "9c1d2e3f4a5b6c7d";

  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.start(mintaro.sdk(), Map.of(
        "/orders/7", (req, resp) -> resp.getWriter().print("order 7"),
        "/leaky", (req, resp) -> Mintaro.startSpan("never closed by the handler")));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void anIncomingTraceparentIsContinued() throws Exception {
    TestServer.Served<String> served = server.serve("/orders/7", "traceparent", TRACEPARENT);

    assertThat(served.response().statusCode()).isEqualTo(200);
    assertThat(served.traceId()).as("Mintaro.traceId() in the handler").isEqualTo(TRACE);
    RecordedSpan serverSpan = mintaro.trace(TRACE).span("GET /orders/7");
    assertThat(serverSpan.kind()).isEqualTo("server");
    assertThat(serverSpan.parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(serverSpan.status()).isEqualTo("succeeded");
    assertThat(serverSpan.attribute("http.status_code")).isEqualTo("200");
  }

  @Test
  void aHandSetMintaroTraceHeaderIsContinuedAsARootWithoutParent() throws Exception {
    TestServer.Served<String> served = server.serve("/orders/7", "X-Mintaro-Trace", TRACE);

    assertThat(served.traceId()).isEqualTo(TRACE);
    assertThat(mintaro.trace(TRACE).span("GET /orders/7").parentSpanId()).isNull();
  }

  @Test
  void aMalformedTraceparentStartsANewTraceAndTheRequestIsServed() throws Exception {
    for (String malformed : List.of("00-" + TRACE.toUpperCase() + "-" + CALLER_SPAN + "-01",
        "00-" + TRACE + "-0000000000000000-01", "00-00000000000000000000000000000000-" + CALLER_SPAN + "-01",
        "garbage", "")) {
      HttpResponse<String> response = server.get("/orders/7", "traceparent", malformed);

      assertThat(response.statusCode()).as(malformed).isEqualTo(200);
      assertThat(response.body()).isEqualTo("order 7");
    }
    assertThat(mintaro.trace(TRACE).spans()).as("nothing in the caller's trace").isEmpty();
  }

  @Test
  void aMalformedMintaroTraceHeaderStartsANewTraceAndTheRequestIsServed() throws Exception {
    for (String malformed : List.of("4bf92f3577b34da6", TRACE + "00", "zz" + TRACE.substring(2),
        "00000000000000000000000000000000")) {
      TestServer.Served<String> served = server.serve("/orders/7", "X-Mintaro-Trace", malformed);

      assertThat(served.response().statusCode()).as(malformed).isEqualTo(200);
      assertThat(served.traceId()).as(malformed).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
    }
  }

  @Test
  void theCallerNamedInXMintaroCallerIsRecordedAsABreadcrumb() throws Exception {
    server.get("/orders/7", "traceparent", TRACEPARENT, "X-Mintaro-Caller", CALLER_AGENT);

    RecordedTrace trace = mintaro.trace(TRACE);
    assertThat(trace.breadcrumbs()).containsExactly(
        new RecordedBreadcrumb(trace.span("GET /orders/7").spanId(), "caller", CALLER_AGENT, null));
  }

  @Test
  void aMalformedCallerIsIgnored() throws Exception {
    HttpResponse<String> response = server.get("/orders/7", "traceparent", TRACEPARENT,
        "X-Mintaro-Caller", CALLER_AGENT.toUpperCase());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(mintaro.trace(TRACE).breadcrumbs()).isEmpty();
  }

  @Test
  void eachRequestWithoutTraceHeadersIsItsOwnTraceAndTheHandlerRunsInIt() throws Exception {
    TestServer.Served<String> first = server.serve("/orders/7");
    TestServer.Served<String> second = server.serve("/orders/7");

    assertThat(first.traceId()).matches("[0-9a-f]{32}");
    assertThat(second.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(first.traceId());
    for (TestServer.Served<String> served : List.of(first, second)) {
      RecordedTrace trace = mintaro.trace(served.traceId());
      assertThat(trace.exchanges()).hasSize(1);
      assertThat(trace.span("GET /orders/7").parentSpanId()).isNull();
    }
  }

  @Test
  void theWorkerThreadLeavesTheRequestWithoutATrace() throws Exception {
    TestServer.Served<String> served = server.serve("/orders/7", "traceparent", TRACEPARENT);

    assertThat(served.traceId()).isEqualTo(TRACE);
    assertThat(served.completed().traceIdAfterwards()).as("Mintaro.traceId() once the filter returned").isNull();
  }

  @Test
  void aSpanTheHandlerForgotToCloseDoesNotOutliveTheRequest() throws Exception {
    TestServer.Served<String> served = server.serve("/leaky", "traceparent", TRACEPARENT);

    assertThat(served.response().statusCode()).isEqualTo(200);
    assertThat(served.completed().traceIdAfterwards()).as("Mintaro.traceId() once the filter returned").isNull();
  }
}
