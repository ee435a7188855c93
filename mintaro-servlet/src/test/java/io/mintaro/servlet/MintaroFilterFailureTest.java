package io.mintaro.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedExchange;
import io.mintaro.test.RecordedSpan;
import io.mintaro.test.RecordedTrace;
import io.mintaro.test.RecordedTrigger;
import jakarta.servlet.ServletException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When a request fails, the filter records how, and stays out of the way: the exception still
 * reaches the container, the client gets the response it would get without Mintaro, and the
 * server triggers fire. That an exception or a 5xx status fails the span and triggers, and a 4xx
 * does not, is specified for every server integration by {@link MintaroFilterContractTest}; this
 * class covers the servlet ways to fail (wrapped exceptions, {@code sendError}, a half-written body).
 */
class MintaroFilterFailureTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

  /** Thrown by the handlers; a field so the tests can tell it is the very same instance. */
  private static final IllegalStateException DECLINED = new IllegalStateException("card declined");

  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.start(mintaro.sdk(), Map.of(
        "/charge", (req, resp) -> {
          throw DECLINED;
        },
        "/charge-wrapped", (req, resp) -> {
          throw new ServletException("wrapped", new IllegalArgumentException("bad amount"));
        },
        "/charge-after-writing", (req, resp) -> {
          resp.setContentType("text/plain;charset=utf-8");
          resp.getWriter().print("charging...");
          throw DECLINED;
        },
        "/unavailable", (req, resp) -> resp.sendError(503, "maintenance"),
        "/ok", (req, resp) -> resp.getWriter().print("ok")));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void anExceptionEscapingTheServletIsRecordedAsAFailedSpanWithItsStackTrace() throws Exception {
    TestServer.Served<String> served = charge("/charge");

    assertThat(served.response().statusCode()).isEqualTo(500);
    RecordedTrace trace = mintaro.trace(TRACE);
    RecordedSpan serverSpan = trace.span("POST /charge");
    assertThat(serverSpan.status()).isEqualTo("failed");
    assertThat(serverSpan.error().type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(serverSpan.error().message()).isEqualTo("card declined");
    assertThat(serverSpan.error().stack())
        .startsWith("java.lang.IllegalStateException: card declined")
        .contains("at io.mintaro.servlet.MintaroFilterFailureTest");
    assertThat(serverSpan.attribute("http.status_code")).isEqualTo("500");
    assertThat(trace.exchanges()).singleElement().satisfies(message -> {
      assertThat(message.status()).isEqualTo(500);
      assertThat(message.error()).isEqualTo("java.lang.IllegalStateException: card declined");
    });
  }

  @Test
  void theExceptionStillReachesTheContainer() throws Exception {
    TestServer.Served<String> served = charge("/charge");

    assertThat(served.completed().escaped()).as("what left the Mintaro filter").isSameAs(DECLINED);
  }

  @Test
  void theCauseOfAServletExceptionIsWhatIsRecorded() throws Exception {
    TestServer.Served<String> served = charge("/charge-wrapped");

    assertThat(served.response().statusCode()).isEqualTo(500);
    assertThat(served.completed().escaped()).isInstanceOf(ServletException.class);
    RecordedSpan serverSpan = mintaro.trace(TRACE).span("POST /charge-wrapped");
    assertThat(serverSpan.error().type()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(serverSpan.error().message()).isEqualTo("bad amount");
  }

  @Test
  void anExceptionAfterTheHandlerWroteSomeOfTheBodyStillGivesTheClientA500() throws Exception {
    TestServer.Served<String> served = charge("/charge-after-writing");

    assertThat(served.response().statusCode()).isEqualTo(500);
    assertThat(served.response().body()).doesNotStartWith("charging...");
    assertThat(mintaro.trace(TRACE).exchanges()).extracting(RecordedExchange::status).containsExactly(500);
  }

  @Test
  void aFailedResponseStillNamesThisProcessToTheCaller() throws Exception {
    String agentId = mintaro.sdk().agentId();
    assertThat(charge("/charge").response().headers().firstValue("X-Mintaro-Callee")).hasValue(agentId);
    assertThat(server.get("/unavailable").headers().firstValue("X-Mintaro-Callee")).hasValue(agentId);
  }

  @Test
  void sendErrorIsRecordedWithItsStatusAndFailsTheSpan() throws Exception {
    HttpResponse<String> response = server.get("/unavailable", "traceparent", TRACEPARENT);

    assertThat(response.statusCode()).isEqualTo(503);
    RecordedTrace trace = mintaro.trace(TRACE);
    assertThat(trace.exchanges()).singleElement().satisfies(message -> {
      assertThat(message.status()).isEqualTo(503);
      assertThat(message.error()).isNull();
    });
    RecordedSpan serverSpan = trace.span("GET /unavailable");
    assertThat(serverSpan.status()).isEqualTo("failed");
    assertThat(serverSpan.error().type()).isEqualTo("HTTP 503");
  }

  @Test
  void theWorkerThreadIsCleanAfterAFailedRequest() throws Exception {
    TestServer.Served<String> served = charge("/charge");

    assertThat(served.traceId()).isEqualTo(TRACE);
    assertThat(served.completed().traceIdAfterwards()).isNull();
  }

  // Triggers that only the servlet API can cause; an escaping exception's trigger is in the contract.

  @Test
  void aServerErrorStatusTriggersCollection() throws Exception {
    server.get("/unavailable", "traceparent", TRACEPARENT);

    assertThat(mintaro.triggers()).extracting(RecordedTrigger::traceId, RecordedTrigger::kind)
        .containsExactly(tuple(TRACE, "error"));
  }

  @Test
  void aSuccessfulRequestDoesNotTrigger() throws Exception {
    server.get("/ok");
    server.get("/nowhere");

    assertThat(mintaro.traces()).as("both were recorded").hasSize(2);
    assertThat(mintaro.triggers()).as("404 is no server error").isEmpty();
  }

  private TestServer.Served<String> charge(String path) throws Exception {
    return server.send(HttpRequest.newBuilder(server.uri(path)).header("traceparent", TRACEPARENT)
        .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":12}")).build(), HttpResponse.BodyHandlers.ofString());
  }
}
