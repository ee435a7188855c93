package io.mintaro.internal.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which bodies name a sensitive field and which headers are sensitive. A JSON body that names no
 * field is returned as the same array without being parsed; one that names a field anywhere, even
 * only in a value, is rewritten into a copy.
 */
class RedactorMatchingTest {
  private static final String MASK = Redactor.MASK;

  // --- field names in bodies ------------------------------------------------------------------

  @Test
  void fieldNamesSharingTheirFirstBytesAreEachLookedFor() {
    Redactor redactor = fields("password", "passcode", "pat", "pin");

    assertThat(json(redactor, "{\"passcode\":1,\"a\":2}")).isEqualTo("{\"passcode\":\"" + MASK + "\",\"a\":2}");
    assertThat(json(redactor, "{\"PATCH\":1}")).isEqualTo("{\"PATCH\":\"" + MASK + "\"}");
    assertThat(json(redactor, "{\"spinner\":1}")).isEqualTo("{\"spinner\":\"" + MASK + "\"}");
    assertThat(mentions(redactor, "{\"passwort\":1,\"pas\":2,\"pa\":3,\"paste\":4,\"pi\":5}")).isFalse();
  }

  @Test
  void aOneLetterFieldNameIsFoundAnywhereIncludingTheFirstAndLastByte() {
    Redactor redactor = fields("x", "token");

    assertThat(json(redactor, "{\"X\":1,\"a\":2}")).isEqualTo("{\"X\":\"" + MASK + "\",\"a\":2}");
    assertThat(mentions(redactor, "x")).isTrue();
    assertThat(mentions(redactor, "{\"a\":1}x")).isTrue();
    assertThat(mentions(redactor, "x{\"a\":1}")).isTrue();
    assertThat(mentions(redactor, "{\"a\":1}")).isFalse();
  }

  @Test
  void aFieldNameEndingExactlyAtTheEndOfATruncatedBodyIsFound() {
    Redactor redactor = fields("password", "token", "secret");
    byte[] buffer = bytes("{\"a\":1,\"token\":\"t\"}");
    int end = "{\"a\":1,\"token".length();

    assertThat(redactor.body(buffer, end, "application/json")).isNotSameAs(buffer);
    assertThat(redactor.body(buffer, end - 1, "application/json")).isSameAs(buffer);
    assertThat(mentions(redactor, "token")).isTrue();
    assertThat(mentions(redactor, "toke")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 8, 40})
  void aFieldNameIsFoundWhereverItStarts(int shortestField) {
    String shortest = "q".repeat(shortestField);
    Redactor redactor = fields(shortest, "password");
    for (int offset = 0; offset < 50; offset++) {
      String before = "-".repeat(offset);
      assertThat(mentions(redactor, before + "Password")).as("at %d", offset).isTrue();
      assertThat(mentions(redactor, before + "password" + "-".repeat(offset % 7))).as("at %d", offset).isTrue();
      assertThat(mentions(redactor, before + shortest + "-")).as("at %d", offset).isTrue();
      assertThat(mentions(redactor, before + "passwor-d" + "q".repeat(shortestField - 1))).as("at %d", offset)
          .isFalse();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"password", "PASSWORD", "Password", "pASSWORD", "PAssword", "passworD", "PaSsWoRd"})
  void fieldNamesMatchInAnyMixOfAsciiCase(String name) {
    Redactor redactor = fields("password");

    assertThat(json(redactor, "{\"" + name + "\":\"p\"}")).isEqualTo("{\"" + name + "\":\"" + MASK + "\"}");
  }

  @Test
  void configuredFieldNamesAreLowercasedFirst() {
    Redactor redactor = fields("Api_KEY");

    assertThat(json(redactor, "{\"api_key\":1,\"API_KEY\":2}"))
        .isEqualTo("{\"api_key\":\"" + MASK + "\",\"API_KEY\":\"" + MASK + "\"}");
  }

  @Test
  void nonAsciiTextRightNextToAFieldNameDoesNotHideIt() {
    Redactor redactor = fields("password", "token");

    assertThat(json(redactor, "{\"ñpassword\":1,\"tokené\":2,\"日本token語\":3}")).isEqualTo(
        "{\"ñpassword\":\"" + MASK + "\",\"tokené\":\"" + MASK + "\",\"日本token語\":\"" + MASK + "\"}");
  }

  @Test
  void bytesAboveAsciiAreNotLetters() {
    Redactor redactor = fields("password", "to");
    // "password" and "to" with one letter's high bit set: no byte lowercases to p, a or o
    byte[] body = {'{', '"', (byte) ('p' | 0x80), 'a', 's', 's', 'w', 'o', 'r', 'd', 'p', (byte) ('A' | 0x80),
        's', 's', 'w', 'o', 'r', 'd', 't', (byte) ('o' | 0x80), '"', ':', '1', '}'};

    assertThat(redactor.body(body, body.length, "application/json")).isSameAs(body);
  }

  @Test
  void aNonAsciiFieldNameMatchesItsOwnBytesWithAsciiCaseIgnored() {
    Redactor redactor = fields("clé");

    assertThat(json(redactor, "{\"Clé\":1,\"CLé_2\":2}"))
        .isEqualTo("{\"Clé\":\"" + MASK + "\",\"CLé_2\":\"" + MASK + "\"}");
  }

  @Test
  void anEmptyFieldNameMakesEveryBodyNameAField() {
    Redactor redactor = fields("", "token");

    assertThat(json(redactor, "{\"a\":1}")).isEqualTo("{\"a\":\"" + MASK + "\"}");
  }

  @Test
  void aBodyIsRewrittenExactlyWhenSomeFieldNameOccursInItIgnoringAsciiCase() {
    List<List<String>> configurations = List.of(List.of("password", "token", "secret"),
        List.of("pa", "pass", "passcode", "p"), List.of("ab", "b", "bcd", "abcdefgh"), List.of("sé", "ssn"),
        List.of("x", "y"), List.of());
    String alphabet = "pPaAsScCoOdDeEbByYxXnN\"{}:,é€😀";
    Random random = new Random(11);
    for (List<String> configured : configurations) {
      Redactor redactor = new Redactor(List.of(), configured);
      for (int i = 0; i < 3_000; i++) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(random.nextInt(8) == 0 ? 300 : 30);
        for (int j = 0; j < n; j++) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        String body = b.toString();
        assertThat(mentions(redactor, body)).as("%s in %s", configured, body)
            .isEqualTo(naivelyMentions(configured, bytes(body)));
      }
    }
  }

  // --- headers --------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"Accept", "Cookiz", "ookie", "Cookies", "Cache-Control", "Authorizatio", "Authorizations",
      "x-api-kez", "y-api-key", "Set-Cookie ", "", "Proxy-Authorization-Extra-Long-Header-Name"})
  void headersWithTheLengthOrTheStartOfASensitiveNameAreKept(String name) {
    Redactor redactor = headers("authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key");

    assertThat(redactor.isSensitiveHeader(name)).isFalse();
    assertThat(redactor.header(name, "v")).isEqualTo("v");
  }

  @Test
  void aNullHeaderNameIsNotSensitive() {
    assertThat(headers("authorization").isSensitiveHeader(null)).isFalse();
    assertThat(headers("authorization").header(null, "v")).isEqualTo("v");
  }

  @Test
  void configuredHeaderNamesMatchWhateverTheCaseOnEitherSide() {
    Redactor redactor = headers("X-Api-Key", "COOKIE", "x-api-KEY");

    assertThat(redactor.isSensitiveHeader("x-api-key")).isTrue();
    assertThat(redactor.isSensitiveHeader("X-API-KEY")).isTrue();
    assertThat(redactor.isSensitiveHeader("cookie")).isTrue();
    assertThat(redactor.isSensitiveHeader("x-api-ke")).isFalse();
  }

  @Test
  void headerNamesMatchTheWayEqualsIgnoreCaseDoesAlsoOutsideAscii() {
    List<String> configured = List.of("cookie", "set-cookie", "x-key", "straße");
    Redactor redactor = new Redactor(configured, List.of());
    // the Kelvin sign and the long s fold to ASCII letters; ß does not expand to ss
    List<String> names = new ArrayList<>(List.of("coo\u212Aie", "\u017Fet-cookie", "x-\u212Aey", "STRASSE",
        "STRAßE", "cookié", "ϲookie", "x-kéy", "cookie\uD801", "\uD801\uDC00okie"));

    for (String name : names) {
      boolean expected = configured.stream().anyMatch(name::equalsIgnoreCase);
      assertThat(redactor.isSensitiveHeader(name)).as(name).isEqualTo(expected);
    }
    assertThat(redactor.isSensitiveHeader("coo\u212Aie")).isTrue();
    assertThat(redactor.isSensitiveHeader("cookié")).isFalse();
  }

  private static Redactor fields(String... names) {
    return new Redactor(List.of(), List.of(names));
  }

  private static Redactor headers(String... names) {
    return new Redactor(List.of(names), List.of());
  }

  /** True when the body counts as naming a field: it is then rewritten, not returned as it is. */
  private static boolean mentions(Redactor redactor, String body) {
    byte[] b = bytes(body);
    return redactor.body(b, b.length, "application/json") != b;
  }

  private static boolean naivelyMentions(List<String> fields, byte[] body) {
    byte[] lower = body.clone();
    for (int i = 0; i < lower.length; i++) {
      if (lower[i] >= 'A' && lower[i] <= 'Z') {
        lower[i] += 32;
      }
    }
    String text = new String(lower, StandardCharsets.ISO_8859_1);
    return fields.stream().anyMatch(f -> text.contains(
        new String(bytes(f.toLowerCase(java.util.Locale.ROOT)), StandardCharsets.ISO_8859_1)));
  }

  private static String json(Redactor redactor, String body) {
    byte[] b = bytes(body);
    return new String(redactor.body(b, b.length, "application/json"), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
