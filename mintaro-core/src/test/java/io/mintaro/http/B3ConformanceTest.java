package io.mintaro.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.MintaroSdk;
import io.mintaro.TestSdks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zipkin B3 (openzipkin/b3-propagation, README): one test per rule, named by the README's
 * section. Incoming B3 is always read; the SDK here also sends both B3 forms
 * ({@code propagation("w3c", "b3", "b3multi")}) so that what goes out can be checked too. The B3
 * span id is the caller's span, the parent of Mintaro's server span.
 */
class B3ConformanceTest {
  private static final String TRACE = "80f198ee56343ba864fe8b2a57d3eff7";
  private static final String SPAN = "e457b5a2e4d86bd1";
  private static final String PARENT = "05e3ac9a4f6e3b90";

  private final MintaroSdk sdk = MintaroSdk.builder().service("zipkin-fleet").propagation("w3c", "b3", "b3multi").build();

  @AfterEach
  void close() {
    TestSdks.clearContext();
    sdk.close();
  }

  private Hop hop(String... headers) {
    return Hop.through(sdk, headers);
  }

  private static void assertNewTrace(Hop hop) {
    assertThat(hop.traceId).isNotEqualTo(TRACE).doesNotEndWith(TRACE.substring(16));
    assertThat(hop.serverParent()).isNull();
  }

  // --- Single Header ---

  @Test
  @DisplayName("B3 Single Header: the README's example is continued: trace id, span id (the server span's parent), sampling, parent")
  void theReadmesExampleIsContinued() {
    Hop hop = hop("b3", TRACE + "-" + SPAN + "-1-" + PARENT);

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isEqualTo(SPAN);
    assertThat(hop.sentTraceId()).isEqualTo(TRACE);
    assertThat(hop.sentFlags() & 1).as("sampled").isEqualTo(1);
  }

  @Test
  @DisplayName("B3 Single Header / TraceId: a 16 lower-hex trace id is accepted, and sent on as 16 digits in b3, padded in traceparent")
  void a64BitTraceIdIsAccepted() {
    Hop hop = hop("b3", "a3ce929d0e0e4736-" + SPAN + "-1");

    assertThat(hop.traceId).isEqualTo("0000000000000000a3ce929d0e0e4736");
    assertThat(hop.sent().get("b3")).startsWith("a3ce929d0e0e4736-" + hop.clientSpanId() + "-1");
    assertThat(hop.sent().get("X-B3-TraceId")).isEqualTo("a3ce929d0e0e4736");
    assertThat(hop.sentTraceId()).isEqualTo("0000000000000000a3ce929d0e0e4736");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "80f198ee56343ba864fe8b2a57d3eff-e457b5a2e4d86bd1-1",
      "80F198EE56343BA864FE8B2A57D3EFF7-e457b5a2e4d86bd1-1",
      "80f198ee56343ba8a-e457b5a2e4d86bd1-1",
      "00000000000000000000000000000000-e457b5a2e4d86bd1-1",
      "0000000000000000-e457b5a2e4d86bd1-1",
      "80f198ee56343ba864fe8b2a57d3eff7"})
  @DisplayName("B3 Single Header / TraceId: anything but a non-zero 16 or 32 lower-hex trace id is invalid (a new trace)")
  void aTraceIdIs16Or32LowerHex(String value) {
    assertNewTrace(hop("b3", value));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "80f198ee56343ba864fe8b2a57d3eff7-",
      "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd",
      "80f198ee56343ba864fe8b2a57d3eff7-E457B5A2E4D86BD1",
      "80f198ee56343ba864fe8b2a57d3eff7-0000000000000000-1"})
  @DisplayName("B3 Single Header / SpanId: the span id is required, 16 lower-hex, not zero")
  void theSpanIdIsRequired(String value) {
    assertNewTrace(hop("b3", value));
  }

  @Test
  @DisplayName("B3 Single Header / Sampling State: accept (1) is sent on as sampled")
  void acceptIsSentOn() {
    Hop hop = hop("b3", TRACE + "-" + SPAN + "-1");

    assertThat(hop.sentFlags() & 1).isEqualTo(1);
    assertThat(hop.sent().get("b3")).endsWith("-1-" + hop.serverSpanId());
    assertThat(hop.sent().get("X-B3-Sampled")).isEqualTo("1");
  }

  @Test
  @DisplayName("B3 Single Header / Sampling State: deny (0) is sent on as not sampled, and Mintaro still records the request")
  void denyIsSentOn() {
    Hop hop = hop("b3", TRACE + "-" + SPAN + "-0");

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.sentFlags() & 1).isZero();
    assertThat(hop.sent().get("b3")).contains("-0-");
    assertThat(hop.sent().get("X-B3-Sampled")).isEqualTo("0");
  }

  @Test
  @DisplayName("B3 Single Header / Sampling State: debug (d) is sent on as debug, which implies sampled")
  void debugIsSentOn() {
    Hop hop = hop("b3", TRACE + "-" + SPAN + "-d");

    assertThat(hop.sentFlags()).as("traceparent knows no debug flag").isEqualTo(0x01);
    assertThat(hop.sent().get("b3")).contains("-d-");
    assertThat(hop.sent()).containsEntry("X-B3-Flags", "1").doesNotContainKey("X-B3-Sampled");
  }

  @Test
  @DisplayName("B3 Single Header / Sampling State: absent (defer) leaves the decision to Mintaro, which records: sampled")
  void deferIsDecidedAsSampled() {
    Hop hop = hop("b3", TRACE + "-" + SPAN);

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.sentFlags() & 1).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x", "2", "true", "01", "D"})
  @DisplayName("B3 Single Header / Sampling State: any other sampling state is invalid")
  void anotherSamplingStateIsInvalid(String state) {
    assertNewTrace(hop("b3", TRACE + "-" + SPAN + "-" + state));
  }

  @Test
  @DisplayName("B3 Single Header: a deny decision alone (b3: 0) starts a new trace that is not sampled, with random ids")
  void aDenyAloneStartsAnUnsampledTrace() {
    Hop hop = hop("b3", "0");

    assertThat(hop.serverParent()).isNull();
    assertThat(hop.sentFlags()).isEqualTo(0x02);
    assertThat(hop.sent().get("b3")).endsWith("-0-" + hop.serverSpanId());
  }

  @Test
  @DisplayName("B3 Single Header: an accept or debug decision alone (b3: 1, b3: d) starts a new sampled trace")
  void anAcceptOrDebugAloneStartsASampledTrace() {
    assertThat(hop("b3", "1").sentFlags()).isEqualTo(0x03);
    Hop debug = hop("b3", "d");
    assertThat(debug.sentFlags()).isEqualTo(0x03);
    assertThat(debug.sent().get("b3")).contains("-d-");
  }

  @Test
  @DisplayName("B3 Single Header / ParentSpanId: the optional parent span id, 16 lower-hex, is accepted")
  void aParentSpanIdIsAccepted() {
    assertThat(hop("b3", TRACE + "-" + SPAN + "-0-" + PARENT).traceId).isEqualTo(TRACE);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b9",
      "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-0000000000000000",
      "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90-",
      "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-05e3ac9a4f6e3b90",
      "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-"})
  @DisplayName("B3 Single Header / ParentSpanId: a malformed parent, or a parent without a sampling state, is invalid")
  void aMalformedParentIsInvalid(String value) {
    assertNewTrace(hop("b3", value));
  }

  @Test
  @DisplayName("B3 Single Header: Mintaro sends b3 as {trace}-{client span}-{sampling}-{parent}, the parent being the server span")
  void mintaroSendsB3WithItsClientSpan() {
    Hop hop = hop("b3", TRACE + "-" + SPAN + "-1");

    assertThat(hop.sent().get("b3")).isEqualTo(TRACE + "-" + hop.clientSpanId() + "-1-" + hop.serverSpanId());
  }

  // --- Multiple Headers ---

  @Test
  @DisplayName("B3 Multiple Headers: X-B3-TraceId and X-B3-SpanId are continued, with X-B3-ParentSpanId and X-B3-Sampled")
  void theMultipleHeadersAreContinued() {
    Hop hop = hop("X-B3-TraceId", TRACE, "X-B3-ParentSpanId", PARENT, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1");

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isEqualTo(SPAN);
    assertThat(hop.sentFlags() & 1).isEqualTo(1);
  }

  @Test
  @DisplayName("B3 Multiple Headers / TraceId: 16 lower-hex characters are accepted too")
  void a64BitMultiTraceIdIsAccepted() {
    assertThat(hop("X-B3-TraceId", "a3ce929d0e0e4736", "X-B3-SpanId", SPAN).traceId)
        .isEqualTo("0000000000000000a3ce929d0e0e4736");
  }

  @Test
  @DisplayName("B3 Multiple Headers / TraceId, SpanId: unless only a sampling state is sent, both are required")
  void traceIdAndSpanIdAreBothRequired() {
    assertNewTrace(hop("X-B3-TraceId", TRACE, "X-B3-Sampled", "1"));
    assertNewTrace(hop("X-B3-SpanId", SPAN, "X-B3-Sampled", "1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "80f198ee56343ba864fe8b2a57d3eff", "80F198EE56343BA864FE8B2A57D3EFF7", "0000000000000000"})
  @DisplayName("B3 Multiple Headers / TraceId: an empty or malformed trace id is invalid")
  void aMalformedMultiTraceIdIsInvalid(String traceId) {
    assertNewTrace(hop("X-B3-TraceId", traceId, "X-B3-SpanId", SPAN));
  }

  @Test
  @DisplayName("B3 Multiple Headers / Sampling State: 1 accepts, 0 denies, and the legacy true and false are accepted as well")
  void sampledAcceptsOneZeroTrueAndFalse() {
    assertThat(hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1").sentFlags() & 1).isEqualTo(1);
    assertThat(hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "0").sentFlags() & 1).isZero();
    assertThat(hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "true").sentFlags() & 1).isEqualTo(1);
    assertThat(hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "false").sentFlags() & 1).isZero();
  }

  @Test
  @DisplayName("B3 Multiple Headers: an empty X-B3-Sampled or a nonsense X-B3-ParentSpanId is malformed, not absent")
  void emptyOrNonsenseHeadersAreMalformed() {
    assertNewTrace(hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", ""));
    assertNewTrace(hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-ParentSpanId", "-"));
  }

  @Test
  @DisplayName("B3 Multiple Headers / Debug Flag: X-B3-Flags: 1 is debug; any other value is ignored")
  void flagsOneIsDebug() {
    Hop debug = hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Flags", "1");
    Hop other = hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Flags", "2", "X-B3-Sampled", "0");

    assertThat(debug.sent()).containsEntry("X-B3-Flags", "1").doesNotContainKey("X-B3-Sampled");
    assertThat(debug.sent().get("b3")).contains("-d-");
    assertThat(other.traceId).isEqualTo(TRACE);
    assertThat(other.sent()).containsEntry("X-B3-Sampled", "0").doesNotContainKey("X-B3-Flags");
  }

  @Test
  @DisplayName("B3 Multiple Headers: a sampling state sent alone (X-B3-Sampled: 0) is a decision for a new trace")
  void aSamplingStateAloneIsADecision() {
    Hop hop = hop("X-B3-Sampled", "0");

    assertThat(hop.serverParent()).isNull();
    assertThat(hop.sentFlags()).isEqualTo(0x02);
    assertThat(hop.sent()).containsEntry("X-B3-Sampled", "0");
  }

  @Test
  @DisplayName("B3 Multiple Headers: when a header is sent several times, the first value wins")
  void theFirstValueWins() {
    Hop hop = hop("X-B3-TraceId", TRACE, "X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124", "X-B3-SpanId", SPAN,
        "X-B3-SpanId", "a2fb4a1d1a96d312");

    assertThat(hop.traceId).isEqualTo(TRACE);
    assertThat(hop.serverParent()).isEqualTo(SPAN);
  }

  @Test
  @DisplayName("B3 Http Encodings: the single header takes precedence over the multiple headers")
  void theSingleHeaderTakesPrecedence() {
    Hop hop = hop("b3", TRACE + "-" + SPAN + "-1", "X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124",
        "X-B3-SpanId", "a2fb4a1d1a96d312");

    assertThat(hop.traceId).isEqualTo(TRACE);
  }

  @Test
  @DisplayName("B3 Http Encodings: an invalid single header falls back to valid multiple headers")
  void anInvalidSingleHeaderFallsBackToTheMultipleHeaders() {
    Hop hop = hop("b3", "garbage", "X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN);

    assertThat(hop.traceId).isEqualTo(TRACE);
  }

  @Test
  @DisplayName("B3 Multiple Headers: Mintaro sends X-B3-TraceId, X-B3-SpanId (its client span), X-B3-ParentSpanId and X-B3-Sampled")
  void mintaroSendsTheMultipleHeaders() {
    Hop hop = hop("X-B3-TraceId", TRACE, "X-B3-SpanId", SPAN, "X-B3-Sampled", "1");

    assertThat(hop.sent()).containsEntry("X-B3-TraceId", TRACE).containsEntry("X-B3-SpanId", hop.clientSpanId())
        .containsEntry("X-B3-ParentSpanId", hop.serverSpanId()).containsEntry("X-B3-Sampled", "1");
  }
}
