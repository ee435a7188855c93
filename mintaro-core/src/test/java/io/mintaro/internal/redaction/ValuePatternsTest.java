package io.mintaro.internal.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JWTs and card numbers are masked by their value wherever they are, and other numbers are kept. */
class ValuePatternsTest {
  private static final String MASK = Redactor.MASK;
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

  @ParameterizedTest
  @ValueSource(strings = {"", "a ", "  ", "(", "token: ", "\"", "Bearer ", "%22", "\\u0022"})
  void aJwtIsMaskedWhateverIsAroundIt(String before) {
    assertThat(ValuePatterns.mask(before + JWT + " rest")).isEqualTo(before + MASK + " rest");
    assertThat(ValuePatterns.mask(before + JWT)).isEqualTo(before + MASK);
  }

  @Test
  void aSentencesFullStopAfterAJwtIsKept() {
    assertThat(ValuePatterns.mask("token " + JWT + ".")).isEqualTo("token " + MASK + ".");
  }

  @Test
  void anEncryptedJwtOfFiveParts_andAnUnsecuredOneWithNoSignature_areMasked() {
    assertThat(ValuePatterns.mask("a eyJhbGciOiJSU0EifQ.a2V5.aXY.Y2lwaGVydGV4dA.dGFn b")).isEqualTo("a " + MASK + " b");
    assertThat(ValuePatterns.mask("a eyJhbGciOiJub25lIn0.eyJzdWIiOiI0MiJ9. b")).isEqualTo("a " + MASK + " b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"eyJust.kidding", "eyJ", "keyJam.a.b", "eyJhbGciOiJIUzI1NiJ9", "eyJa..b",
      "the eyJhbGciOiJIUzI1NiJ9.only-one-dot"})
  void textThatIsNotAJwtIsKept(String text) {
    assertThat(ValuePatterns.mask(text)).isSameAs(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "4111+1111+1111+1111",
      "378282246310005", "3782 822463 10005", "5555555555554444", "2223003122003222", "6011111111111117",
      "3566002020360505", "30569309025904", "4222222222222", "6200000000000005", "4111111111111111110"})
  void cardNumbersOfEveryNetworkAndWayOfWritingAreMasked(String card) {
    assertThat(ValuePatterns.mask("pay with " + card + " now")).isEqualTo("pay with " + MASK + " now");
    assertThat(ValuePatterns.mask(card)).isEqualTo(MASK);
    assertThat(ValuePatterns.mask("{\"pan\":\"" + card + "\"}")).isEqualTo("{\"pan\":\"" + MASK + "\"}");
  }

  @Test
  void twoCardsSplitOnlyByASpaceAreBothMasked() {
    assertThat(ValuePatterns.mask("4111111111111111 5555555555554444")).isEqualTo(MASK + " " + MASK);
    assertThat(ValuePatterns.mask("cards 4111 1111 1111 1111 5555 5555 5555 4444."))
        .isEqualTo("cards " + MASK + " " + MASK + ".");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "1764763200000", // epoch ms
      "1764763200000000", // epoch µs
      "1764763200000000000", // epoch ns
      "4111111111111112", // Luhn fails
      "9111111111111119", // no network starts with 9
      "4111111111111111111111", // 22 digits: no card is that long
      "411111111111111", // Visa of 15 digits
      "5105105105105100000", // Mastercard of 19 digits
      "order 12345 of 2026-12-03 12:00",
      "4111 11 11 1111 11111 2", // groups that are no card
  })
  void otherNumbersAreKept(String text) {
    assertThat(ValuePatterns.mask(text)).isSameAs(text);
  }

  @Test
  void maskingInPlaceReturnsTheNewEndAndLeavesWhatIsBeyondTheRange() {
    byte[] b = ("<" + JWT + " and 4111111111111111>tail").getBytes(StandardCharsets.US_ASCII);
    int to = b.length - 4;

    int end = ValuePatterns.mask(b, 1, to);

    assertThat(new String(b, 0, end, StandardCharsets.US_ASCII)).isEqualTo("<" + MASK + " and " + MASK + ">");
  }

  @Test
  void textWithoutSecretsIsNotCopied() {
    String text = "GET /orders/42 answered 200 in 12 ms for user 1764763200000";
    assertThat(ValuePatterns.mask(text)).isSameAs(text);
    assertThat(ValuePatterns.mask((String) null)).isNull();
  }

  @Test
  void multibyteTextAroundASecretIsKept() {
    assertThat(ValuePatterns.mask("carte € " + "4111 1111 1111 1111" + " — 日本")).isEqualTo("carte € " + MASK + " — 日本");
  }

  @Test
  void aSecretIsFoundAtEveryOffset_theScanLooksAtEveryThirdByteOnly() {
    Random random = new Random(11);
    String alphabet = "abcdefghij eyJ0123456789-.";
    String[] secrets = {"4111 1111 1111 1111", "4222222222222", "3782-822463-10005", "6200000000000005", JWT};
    for (int i = 0; i < 3_000; i++) {
      StringBuilder before = new StringBuilder();
      for (int j = random.nextInt(40); j > 0; j--) {
        before.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String secret = secrets[i % secrets.length];
      String text = before + "x " + secret + " x" + "tail".repeat(random.nextInt(3));

      assertThat(ValuePatterns.mask(text)).as(text).doesNotContain(secret).contains("x " + MASK + " x");
    }
  }

  @Test
  void garbageNeverThrowsAndNeverGrows() {
    Random random = new Random(7);
    String alphabet = "0123456789 -+eyJ.abc_";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(80);
      for (int j = 0; j < n; j++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertThatCode(() -> assertThat(ValuePatterns.mask(s.toString()).length()).isLessThanOrEqualTo(s.length()))
          .doesNotThrowAnyException();
    }
  }
}
