package io.mintaro.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.http.ClientExchange;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedTrace;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The filter hands the SDK every value of a repeated request header, over real HTTP: W3C Trace
 * Context combines repeated {@code tracestate} headers and restarts the trace on repeated
 * {@code traceparent} headers, which a filter reading only the first value would get wrong. The
 * handler calls out, and the test looks at what that call would carry.
 */
class MintaroFilterPropagationTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private final AtomicReference<Map<String, String>> sentByHandler = new AtomicReference<>();
  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.start(mintaro.sdk(), Map.of("/call-out", (req, resp) -> {
      Map<String, String> sent = new LinkedHashMap<>();
      try (ClientExchange call = ClientExchange.start(mintaro.sdk(), "GET", URI.create("http://next:8080/"))) {
        call.propagationHeaders(sent::put);
        call.status(200);
      }
      sentByHandler.set(sent);
      resp.getWriter().print("called out");
    }));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  @DisplayName("TC §3.2 Traceparent Header: a request with two traceparent headers restarts the trace (test.py traceparent_duplicated)")
  void twoTraceparentHeadersRestartTheTrace() throws Exception {
    TestServer.Served<String> served = server.serve("/call-out",
        "traceparent", "00-12345678901234567890123456789011-1234567890123456-01",
        "traceparent", "00-12345678901234567890123456789012-1234567890123456-01");

    assertThat(served.response().statusCode()).isEqualTo(200);
    assertThat(served.traceId()).matches("[0-9a-f]{32}")
        .isNotIn("12345678901234567890123456789011", "12345678901234567890123456789012");
    assertThat(mintaro.trace(served.traceId()).span("GET /call-out").parentSpanId()).isNull();
  }

  @Test
  @DisplayName("TC2 §3.3.2 / TC §3.3.1.1 Field Values: several tracestate headers are combined into one list, in order")
  void severalTracestateHeadersAreCombinedInOrder() throws Exception {
    server.serve("/call-out", "traceparent", TRACEPARENT, "tracestate", "foo=1,bar=2", "tracestate", "rojo=1",
        "tracestate", "congo=2");

    assertThat(sentByHandler.get()).containsEntry("tracestate",
        "mintaro=" + mintaro.sdk().agentId() + ",foo=1,bar=2,rojo=1,congo=2");
  }

  @Test
  @DisplayName("TC §3.2.1 / §3.3.1 Header Name: traceparent and tracestate are read in any case")
  void headerNamesAreReadInAnyCase() throws Exception {
    TestServer.Served<String> served = server.serve("/call-out", "TraceParent", TRACEPARENT, "TRACESTATE", "rojo=1");

    assertThat(served.traceId()).isEqualTo(TRACE);
    assertThat(sentByHandler.get().get("tracestate")).endsWith(",rojo=1");
  }

  @Test
  void b3AndAwsTraceHeadersAreContinued() throws Exception {
    TestServer.Served<String> b3 = server.serve("/call-out", "b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1");
    String aws = "Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793";
    TestServer.Served<String> alb = server.serve("/call-out", "X-Amzn-Trace-Id", aws);

    assertThat(b3.traceId()).isEqualTo("80f198ee56343ba864fe8b2a57d3eff7");
    assertThat(mintaro.trace(b3.traceId()).span("GET /call-out").parentSpanId()).isEqualTo("e457b5a2e4d86bd1");
    RecordedTrace fromAws = mintaro.trace("5759e988bd862e3fe1be46a994272793");
    assertThat(alb.traceId()).isEqualTo(fromAws.traceId());
    assertThat(fromAws.span("GET /call-out").attribute("aws.xray.trace_header")).isEqualTo(aws);
  }

  @Test
  void repeatedHeadersAreStillRecordedOneByOne() throws Exception {
    server.serve("/call-out", "traceparent", TRACEPARENT, "tracestate", "foo=1", "tracestate", "bar=2");

    assertThat(mintaro.trace(TRACE).inbound().get(0).requestHeaders("tracestate")).containsExactly("foo=1", "bar=2");
  }
}
