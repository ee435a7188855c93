package io.mintaro.internal.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mintaro.internal.propagation.TraceHeaders.Incoming;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trace headers are parsed strictly: anything malformed yields null, and nothing ever throws. The
 * rules themselves are specified by the conformance tests in {@code io.mintaro.http}; this class
 * checks the parsers' edges.
 */
class TraceHeadersTest {
  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aValidTraceparentIsParsed() {
    Incoming in = TraceHeaders.parseTraceparent(VALID);

    assertThat(in).isNotNull();
    assertThat(in.traceHi).isEqualTo(0x4bf92f3577b34da6L);
    assertThat(in.traceLo).isEqualTo(0xa3ce929d0e0e4736L);
    assertThat(in.parentSpanId).isEqualTo(0x00f067aa0ba902b7L);
    assertThat(in.flags).isEqualTo((byte) 1);
  }

  @Test
  void theFlagsW3cDefinesAreKeptAndTheOthersDropped() {
    assertThat(TraceHeaders.parseTraceparent(VALID.substring(0, 53) + "00").flags).isEqualTo((byte) 0);
    assertThat(TraceHeaders.parseTraceparent(VALID.substring(0, 53) + "02").flags).isEqualTo((byte) 2);
    assertThat(TraceHeaders.parseTraceparent(VALID.substring(0, 53) + "ff").flags).isEqualTo((byte) 3);
  }

  @Test
  void lineBreaksAreNotOptionalWhitespace() {
    assertThat(TraceHeaders.parseTraceparent(VALID + "\r\n")).isNull();
    assertThat(TraceHeaders.parseTraceparent("\n" + VALID)).isNull();
  }

  @Test
  void surroundingWhitespaceIsTolerated() {
    assertThat(TraceHeaders.parseTraceparent("  " + VALID + "\t")).isNotNull();
  }

  @Test
  void aFutureVersionWithExtraFieldsIsReadAsVersionZero() {
    Incoming in = TraceHeaders.parseTraceparent("cc" + VALID.substring(2) + "-what-the-future-brings");

    assertThat(in).isNotNull();
    assertThat(in.traceLo).isEqualTo(0xa3ce929d0e0e4736L);
    assertThat(in.parentSpanId).isEqualTo(0x00f067aa0ba902b7L);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      // wrong lengths
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",
      "00-4bf92f3577b34da6a3ce929d0e0e47360-00f067aa0ba902b7-01",
      "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // version 00 allows nothing after the flags
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-010",
      // a later version must still separate what follows with a dash
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
      // uppercase hex
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",
      "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // all-zero ids
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      // the forbidden version
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // bad separators
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
      "00 4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 01",
      // not hex
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
      "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00--bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // unicode digits and letters that Character.digit would accept
      "00-4bf92f3577b34da6a3ce929d0e0e473\u0664-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b\uff17-01",
      "\u0660\u0660-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // whitespace inside
      "00-4bf92f3577b34da6 a3ce929d0e0e4736-00f067aa0ba902b7-01",
      // two headers joined (RFC 9110), of version 00 and of a later version
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01,00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x,cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "garbage", "-", "--------------------------------------------------------"})
  void malformedTraceparentsAreIgnored(String value) {
    assertThat(TraceHeaders.parseTraceparent(value)).isNull();
  }

  @Test
  void hostileTraceparentsNeverThrow() {
    Random random = new Random(1);
    String alphabet = "0123456789abcdefABCDEF-_ \t\u0000\u00e9\u0664\uD83D\uDE00xyz";
    String huge = VALID + "-" + "a".repeat(1_000_000);
    assertThatCode(() -> TraceHeaders.parseTraceparent(huge)).doesNotThrowAnyException();
    assertThat(TraceHeaders.parseTraceparent("00" + huge.substring(2))).isNull();
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder(VALID);
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits && b.length() > 0; e++) {
        int at = random.nextInt(b.length());
        switch (random.nextInt(3)) {
          case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> b.deleteCharAt(at);
          default -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String value = b.toString();
      Incoming in = TraceHeaders.parseTraceparent(value);
      if (in != null) {
        // whatever is accepted is well-formed, and means what it says
        String trimmed = value.strip();
        assertThat(TraceHeaders.formatTraceparent(in.traceHi, in.traceLo, in.parentSpanId, in.flags).substring(2, 53))
            .isEqualTo(trimmed.substring(2, 53));
        assertThat(in.flags).isEqualTo((byte) (Integer.parseInt(trimmed.substring(53, 55), 16) & 3));
      }
      assertThatCode(() -> TraceHeaders.parseMintaroTrace(value)).doesNotThrowAnyException();
      assertThatCode(() -> TraceState.forward(value, "mintaro=3f2a9c0d11b4e7a1")).doesNotThrowAnyException();
      assertThatCode(() -> B3.parseSingle(value)).doesNotThrowAnyException();
      assertThatCode(() -> AwsTraceHeader.parse(value)).doesNotThrowAnyException();
      assertThatCode(() -> TraceHeaders.parseAgentId(value)).doesNotThrowAnyException();
    }
  }

  @Test
  void formatTraceparentRoundTrips() {
    Random random = new Random(2);
    for (int i = 0; i < 1_000; i++) {
      long hi = random.nextLong();
      long lo = random.nextLong() | 1;
      long span = random.nextLong() | 1;
      byte flags = (byte) random.nextInt(256);

      String header = TraceHeaders.formatTraceparent(hi, lo, span, flags);
      Incoming in = TraceHeaders.parseTraceparent(header);

      assertThat(header).hasSize(55).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]");
      assertThat(in).isNotNull();
      assertThat(new long[] {in.traceHi, in.traceLo, in.parentSpanId, in.flags})
          .containsExactly(hi, lo, span, flags & 3);
    }
    assertThat(TraceHeaders.formatTraceparent(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L, (byte) 1))
        .isEqualTo(VALID);
  }

  @Test
  void mintaroTraceIsAcceptedInEitherCase() {
    Incoming lower = TraceHeaders.parseMintaroTrace("4bf92f3577b34da6a3ce929d0e0e4736");
    Incoming upper = TraceHeaders.parseMintaroTrace(" 4BF92F3577B34DA6A3CE929D0E0E4736 ");

    assertThat(lower).isNotNull();
    assertThat(upper).isNotNull();
    assertThat(new long[] {upper.traceHi, upper.traceLo}).containsExactly(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L);
    assertThat(new long[] {lower.traceHi, lower.traceLo}).containsExactly(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L);
    assertThat(lower.parentSpanId).as("a caller that sent only a trace id has no span").isZero();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"00000000000000000000000000000000", "4bf92f3577b34da6a3ce929d0e0e473",
      "4bf92f3577b34da6a3ce929d0e0e47360", "4bf92f3577b34da6a3ce929d0e0e473g", "4bf92f3577b34da6-3ce929d0e0e4736",
      "4bf92f3577b34da6a3ce929d0e0e473\u0664", "4bf92f3577b34da6a3ce929d0e0e473\uff10", VALID})
  void mintaroTraceThatIsNot32HexDigitsOrAllZeroIsIgnored(String value) {
    assertThat(TraceHeaders.parseMintaroTrace(value)).isNull();
  }

  @Test
  void agentIdsMustBe16LowercaseHexDigits() {
    assertThat(TraceHeaders.parseAgentId("3f2a9c0d11b4e7a1")).isEqualTo("3f2a9c0d11b4e7a1");
    assertThat(TraceHeaders.parseAgentId(" 3f2a9c0d11b4e7a1 ")).isEqualTo("3f2a9c0d11b4e7a1");
    assertThat(TraceHeaders.parseAgentId(null)).isNull();
    assertThat(TraceHeaders.parseAgentId("")).isNull();
    assertThat(TraceHeaders.parseAgentId("3F2A9C0D11B4E7A1")).isNull();
    assertThat(TraceHeaders.parseAgentId("3f2a9c0d11b4e7a")).isNull();
    assertThat(TraceHeaders.parseAgentId("3f2a9c0d11b4e7a12")).isNull();
    assertThat(TraceHeaders.parseAgentId("3f2a9c0d11b4e7ag")).isNull();
    assertThat(TraceHeaders.parseAgentId("3f2a9c0d11b4e7a\u0661")).isNull();
    assertThat(TraceHeaders.parseAgentId("3f2a9c0d11b4e7a1\r\nx: y")).isNull();
  }
}
