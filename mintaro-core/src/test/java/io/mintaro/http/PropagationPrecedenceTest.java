package io.mintaro.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.LocalSdkTest;
import org.junit.jupiter.api.Test;

/**
 * When a request carries several trace headers, the first valid one in this order decides: a
 * valid {@code traceparent}, {@code b3}, {@code X-B3-*}, {@code X-Mintaro-Trace},
 * {@code X-Amzn-Trace-Id}. An invalid one is skipped, never fatal.
 */
class PropagationPrecedenceTest extends LocalSdkTest {
  private static final String W3C = "11111111111111111111111111111111";
  private static final String B3 = "22222222222222222222222222222222";
  private static final String B3_MULTI = "33333333333333333333333333333333";
  private static final String MINTARO = "44444444444444444444444444444444";
  private static final String AWS = "55555555555555555555555555555555";

  private static final String[] TRACEPARENT = {"traceparent", "00-" + W3C + "-00f067aa0ba902b7-01"};
  private static final String[] SINGLE = {"b3", B3 + "-e457b5a2e4d86bd1-1"};
  private static final String[] MULTI = {"X-B3-TraceId", B3_MULTI, "X-B3-SpanId", "a2fb4a1d1a96d312"};
  private static final String[] OWN = {"X-Mintaro-Trace", MINTARO};
  private static final String[] AMAZON = {"X-Amzn-Trace-Id", "Root=1-55555555-555555555555555555555555"};

  private String traceOf(String[]... headers) {
    return Hop.through(sdk, java.util.Arrays.stream(headers).flatMap(java.util.Arrays::stream).toArray(String[]::new))
        .traceId;
  }

  @Test
  void aValidTraceparentWinsOverEveryOtherHeader() {
    assertThat(traceOf(AMAZON, OWN, MULTI, SINGLE, TRACEPARENT)).isEqualTo(W3C);
  }

  @Test
  void thenB3ThenTheB3HeadersThenMintarosThenAws() {
    assertThat(traceOf(AMAZON, OWN, MULTI, SINGLE)).isEqualTo(B3);
    assertThat(traceOf(AMAZON, OWN, MULTI)).isEqualTo(B3_MULTI);
    assertThat(traceOf(AMAZON, OWN)).isEqualTo(MINTARO);
    assertThat(traceOf(AMAZON)).isEqualTo(AWS);
  }

  @Test
  void anInvalidHeaderGivesWayToTheNextValidOne() {
    String[] badTraceparent = {"traceparent", "00-" + W3C + "-00f067aa0ba902b7-0x"};
    String[] badSingle = {"b3", B3 + "-e457b5a2e4d86bd1-x"};
    String[] badMulti = {"X-B3-TraceId", B3_MULTI, "X-B3-SpanId", "not-a-span-id"};
    String[] badOwn = {"X-Mintaro-Trace", "0".repeat(32)};

    assertThat(traceOf(badTraceparent, SINGLE, AMAZON)).isEqualTo(B3);
    assertThat(traceOf(badTraceparent, badSingle, MULTI)).isEqualTo(B3_MULTI);
    assertThat(traceOf(badTraceparent, badSingle, badMulti, OWN)).isEqualTo(MINTARO);
    assertThat(traceOf(badTraceparent, badSingle, badMulti, badOwn, AMAZON)).isEqualTo(AWS);
  }

  @Test
  void aB3DecisionAloneEndsTheSearch() {
    Hop hop = Hop.through(sdk, "b3", "0", "X-Mintaro-Trace", MINTARO);

    assertThat(hop.traceId).isNotEqualTo(MINTARO);
    assertThat(hop.sentFlags() & 1).as("the caller's deny").isZero();
  }

  @Test
  void aTracestateGoesOnlyWithTheTraceparentItCameWith() {
    Hop hop = Hop.through(sdk, "b3", SINGLE[1], "tracestate", "rojo=1");

    assertThat(hop.traceId).isEqualTo(B3);
    assertThat(hop.tracestate()).isEqualTo("mintaro=" + sdk.agentId());
  }
}
