package io.mintaro.servlet;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
import static io.mintaro.internal.agent.RingDump.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import jakarta.servlet.ServletException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a request fails, the filter records how, and stays out of the way: the exception still
 * reaches the container, the client gets the response it would get without Mintaro, and the
 * server triggers fire.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroFilterFailureTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

  /** Thrown by the handlers; a field so the tests can tell it is the very same instance. */
  private static final IllegalStateException DECLINED = new IllegalStateException("card declined");

  private MintaroSdk sdk;
  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    // One trigger token and almost no refill: whether a trigger fired shows in a probe (see below).
    sdk = MintaroSdk.builder().service("payments").triggerRateLimit(1e-9, 1).build();
    server = TestServer.start(sdk, Map.of(
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
    sdk.close();
    TestSdks.clearContext();
  }

  @Test
  void anExceptionEscapingTheServletIsRecordedAsAFailedSpanWithItsStackTrace() throws Exception {
    TestServer.Served<String> served = charge("/charge");

    assertThat(served.response().statusCode()).isEqualTo(500);
    Map<String, Object> trace = RingDump.trace(sdk, TRACE);
    Map<String, Object> serverSpan = span(trace, "POST /charge");
    assertThat(serverSpan).containsEntry("status", "failed");
    assertThat(map(serverSpan.get("error"))).containsEntry("type", "java.lang.IllegalStateException")
        .containsEntry("message", "card declined");
    assertThat((String) map(serverSpan.get("error")).get("stack"))
        .startsWith("java.lang.IllegalStateException: card declined")
        .contains("at io.mintaro.servlet.MintaroFilterFailureTest");
    assertThat(map(serverSpan.get("attributes"))).containsEntry("http.status_code", "500");
    assertThat(list(trace, "messages")).singleElement().satisfies(message -> assertThat(message)
        .containsEntry("status", 500L)
        .containsEntry("error", "java.lang.IllegalStateException: card declined"));
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
    Map<String, Object> serverSpan = span(RingDump.trace(sdk, TRACE), "POST /charge-wrapped");
    assertThat(map(serverSpan.get("error"))).containsEntry("type", "java.lang.IllegalArgumentException")
        .containsEntry("message", "bad amount");
  }

  @Test
  void anExceptionAfterTheHandlerWroteSomeOfTheBodyStillGivesTheClientA500() throws Exception {
    TestServer.Served<String> served = charge("/charge-after-writing");

    assertThat(served.response().statusCode()).isEqualTo(500);
    assertThat(served.response().body()).doesNotStartWith("charging...");
    assertThat(list(RingDump.trace(sdk, TRACE), "messages")).singleElement()
        .satisfies(message -> assertThat(message).containsEntry("status", 500L));
  }

  @Test
  void aFailedResponseStillNamesThisProcessToTheCaller() throws Exception {
    assertThat(charge("/charge").response().headers().firstValue("X-Mintaro-Callee")).hasValue(sdk.agentId());
    assertThat(server.get("/unavailable").headers().firstValue("X-Mintaro-Callee")).hasValue(sdk.agentId());
  }

  @Test
  void sendErrorIsRecordedWithItsStatusAndFailsTheSpan() throws Exception {
    HttpResponse<String> response = server.get("/unavailable", "traceparent", TRACEPARENT);

    assertThat(response.statusCode()).isEqualTo(503);
    Map<String, Object> trace = RingDump.trace(sdk, TRACE);
    assertThat(list(trace, "messages")).singleElement().satisfies(message -> assertThat(message)
        .containsEntry("status", 503L).containsEntry("error", null));
    Map<String, Object> serverSpan = span(trace, "GET /unavailable");
    assertThat(serverSpan).containsEntry("status", "failed");
    assertThat(map(serverSpan.get("error"))).containsEntry("type", "HTTP 503");
  }

  @Test
  void theWorkerThreadIsCleanAfterAFailedRequest() throws Exception {
    TestServer.Served<String> served = charge("/charge");

    assertThat(served.traceId()).isEqualTo(TRACE);
    assertThat(served.completed().traceIdAfterwards()).isNull();
  }

  // Triggers. Without a collector a trigger leaves nothing in the ring, but it spends the SDK's
  // only trigger token: a probe trigger afterwards is then refused by the rate limit.

  @Test
  void anEscapingExceptionTriggersCollection() throws Exception {
    charge("/charge");

    assertThat(probeWasRateLimited()).isTrue();
  }

  @Test
  void aServerErrorStatusTriggersCollection() throws Exception {
    server.get("/unavailable");

    assertThat(probeWasRateLimited()).isTrue();
  }

  @Test
  void aSuccessfulRequestDoesNotTrigger() throws Exception {
    server.get("/ok");
    server.get("/nowhere");

    assertThat(probeWasRateLimited()).as("404 is no server error").isFalse();
  }

  private TestServer.Served<String> charge(String path) throws Exception {
    return server.send(HttpRequest.newBuilder(server.uri(path)).header("traceparent", TRACEPARENT)
        .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":12}")).build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean probeWasRateLimited() {
    try (RecordingSpan probe = TestSdks.root(sdk, "probe")) {
      Mintaro.trigger("probe");
    }
    return sdk.stats().triggersRateLimited() > 0;
  }
}
