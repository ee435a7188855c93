package io.mintaro.internal.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.HostileText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property tests of the redactor. Arbitrary bodies, queries and headers never make it throw and
 * never make its output grow by more than a mask per field; and a secret placed under a
 * sensitive name, at a generated depth and position of a JSON body, a form body or a query
 * string, never survives, while everything around it is kept byte for byte.
 *
 * <p>The text around the secret is drawn from characters without vowels (no field word can form
 * in it) and without {@code Z}, {@code Q} and digits (the secret's own characters), so that the
 * exact expected output is known.
 */
class RedactorFuzzTest {
  private static final Redactor DEFAULTS = new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_FIELDS);
  private static final byte[] MASK_FORM = "%5BREDACTED%5D".getBytes(StandardCharsets.US_ASCII);
  /** Text that can hold no field word and no part of a secret: no vowels, digits, Z or Q. */
  private static final String PLAIN = "bcdfghjklmnprstvwxyBCDFGHJKLMNPRSTVWXY _-.,:;!*()[]{}\u00e7\u00df\u4e2d";

  // ------------------------------------------------------------------ JSON

  @Property(tries = 1_000)
  void aSecretUnderASensitiveJsonKeyNeverSurvives(@ForAll("jsonCases") Case c, @ForAll("jsonTypes") String type) {
    byte[] body = c.input.getBytes(StandardCharsets.UTF_8);

    String out = recorded(body, body.length, type);

    assertThat(out).doesNotContain(c.secret).isEqualTo(c.expected);
  }

  @Property(tries = 500)
  void aJsonBodyCutAnywhereLeaksNoPartOfTheSecret(@ForAll("jsonCases") Case c, @ForAll int cutSeed) {
    byte[] body = c.input.getBytes(StandardCharsets.UTF_8);
    int length = Math.floorMod(cutSeed, body.length) + 1;
    int secretAt = c.input.indexOf(c.secret);
    // once three characters of the secret are inside the cut, none of them may be recorded
    String cutText = new String(body, 0, length, StandardCharsets.UTF_8);

    String out = recorded(body, length, "application/json");

    if (secretAt >= 0 && cutText.length() > secretAt + 2) {
      assertThat(out).doesNotContain(c.secret.substring(0, 3));
    }
    assertThat(out.length()).isLessThanOrEqualTo(length + Redactor.MASK.length() + 2);
  }

  @Property(tries = 500)
  void redactingARedactedBodyChangesNothing(@ForAll("jsonCases") Case json, @ForAll("formCases") Case form) {
    byte[] jsonBytes = json.input.getBytes(StandardCharsets.UTF_8);
    byte[] formBytes = form.input.getBytes(StandardCharsets.UTF_8);
    byte[] once = DEFAULTS.body(jsonBytes, jsonBytes.length, "application/json");
    byte[] formOnce = DEFAULTS.body(formBytes, formBytes.length, "application/x-www-form-urlencoded");

    assertThat(DEFAULTS.body(once, once.length, "application/json")).isEqualTo(once);
    assertThat(DEFAULTS.body(formOnce, formOnce.length, "application/x-www-form-urlencoded")).isEqualTo(formOnce);
  }

  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE) // edge cases of flat-mapped generators cost more than they find
  void aSecretUnderAConfiguredWordNeverSurvives(@ForAll("configuredCases") Tuple.Tuple3<List<String>, Case, Case> c) {
    Redactor redactor = new Redactor(List.of(), c.get1());
    byte[] json = c.get2().input.getBytes(StandardCharsets.UTF_8);
    byte[] form = c.get3().input.getBytes(StandardCharsets.UTF_8);

    String jsonOut = new String(redactor.body(json, json.length, "application/json"), StandardCharsets.UTF_8);
    String formOut = new String(redactor.body(form, form.length, "application/x-www-form-urlencoded"),
        StandardCharsets.UTF_8);

    assertThat(jsonOut).doesNotContain(c.get2().secret);
    assertThat(formOut).doesNotContain(c.get3().secret);
    assertThat(redactor.url("/p?" + c.get3().input)).doesNotContain(c.get3().secret);
  }

  /** Words of its own (one letter, long, sharing prefixes, in any case), and a body with a secret under each kind. */
  @Provide
  Arbitrary<Tuple.Tuple3<List<String>, Case, Case>> configuredCases() {
    Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withChars("_-").ofMinLength(1).ofMaxLength(12), Arbitraries.of("x", "ab", "a".repeat(70), "pass", "passwd"));
    return word.list().ofMinSize(1).ofMaxSize(4).flatMap(words -> {
      List<String> lower = words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
      return Combinators.combine(jsonCases(sensitiveNames(lower)), formCases(sensitiveNames(lower)))
          .as((j, f) -> Tuple.of(words, j, f));
    });
  }

  // ------------------------------------------------------------------ forms and query strings

  @Property(tries = 1_000)
  void aSecretUnderASensitiveFormFieldNeverSurvives(@ForAll("formCases") Case c, @ForAll("formTypes") String type) {
    byte[] body = c.input.getBytes(StandardCharsets.UTF_8);

    String out = recorded(body, body.length, type);

    assertThat(out).doesNotContain(c.secret).isEqualTo(c.expected);
  }

  @Property(tries = 1_000)
  void aSecretInAQueryStringNeverSurvives(@ForAll("formCases") Case c, @ForAll("urlPrefixes") String prefix) {
    String out = DEFAULTS.url(prefix + "?" + c.input);

    assertThat(out).doesNotContain(c.secret).isEqualTo(prefix + "?" + c.expected);
  }

  @Property(tries = 500)
  void aJwtInAQueryStringNeverSurvivesWhateverItsName(@ForAll("plainPairs") List<String> pairs,
      @ForAll("jwts") String jwt, @ForAll int at) {
    List<String> all = new ArrayList<>(pairs);
    int index = Math.floorMod(at, all.size() + 1);
    all.add(index, "x=" + jwt);
    List<String> expected = new ArrayList<>(pairs);
    expected.add(index, "x=%5BREDACTED%5D");

    String out = DEFAULTS.url("https://api.example/v1/items?" + String.join("&", all));

    assertThat(out).doesNotContain(jwt).isEqualTo("https://api.example/v1/items?" + String.join("&", expected));
  }

  @Property(tries = 500)
  void credentialsInAUrlNeverSurvive(@ForAll("userInfos") String userInfo, @ForAll("hosts") String host) {
    String out = DEFAULTS.url("https://" + userInfo + "@" + host + "?page=2");

    assertThat(out).isEqualTo("https://" + Redactor.MASK + "@" + host + "?page=2");
  }

  // ------------------------------------------------------------------ headers

  @Property(tries = 1_000)
  void aHeaderNamedWithAFieldWordOrConfiguredIsMasked(@ForAll("sensitiveHeaderNames") String name,
      @ForAll("anyText") String value) {
    assertThat(DEFAULTS.header(name, value)).isEqualTo(Redactor.MASK);
  }

  @Property(tries = 1_000)
  void anyHeaderIsKeptOrMaskedWholeWhateverItsCase(@ForAll("anyText") String name, @ForAll("anyText") String value) {
    String out = DEFAULTS.header(name, value);

    assertThat(out).isIn(value, Redactor.MASK);
    if (name != null) {
      assertThat(DEFAULTS.header(swapAsciiCase(name), value)).isEqualTo(out);
    }
  }

  private static String swapAsciiCase(String s) {
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (c[i] >= 'a' && c[i] <= 'z' || c[i] >= 'A' && c[i] <= 'Z') {
        c[i] ^= 0x20;
      }
    }
    return new String(c);
  }

  // ------------------------------------------------------------------ anything at all

  @Property(tries = 1_000)
  void anyBodyIsRedactedWithinAMaskPerField(@ForAll("configs") Redactor redactor, @ForAll("bodies") byte[] body,
      @ForAll int lengthSeed, @ForAll("anyType") String type) {
    int length = body.length == 0 ? 0 : Math.floorMod(lengthSeed, body.length + 1);

    byte[] out = redactor.body(body, length, type);

    if (out != body) {
      int separators = 1;
      for (int i = 0; i < length; i++) {
        separators += body[i] == '&' || body[i] == ':' ? 1 : 0;
      }
      assertThat(out.length).isLessThanOrEqualTo(length + MASK_FORM.length * separators);
    }
  }

  @Property(tries = 1_000)
  void anyUrlIsRedactedWithinAMaskPerParameter(@ForAll("configs") Redactor redactor, @ForAll("urls") String url) {
    String out = redactor.url(url);

    int separators = 2 + (int) url.chars().filter(ch -> ch == '&').count();
    assertThat(out.length()).isLessThanOrEqualTo(url.length() + MASK_FORM.length * separators);
    if (url.indexOf('?') < 0 && !url.contains("@")) {
      assertThat(out).isEqualTo(url);
    }
  }

  /** What is recorded of a body: its first {@code length} bytes when returned as it is, else the copy. */
  private static String recorded(byte[] body, int length, String type) {
    byte[] out = DEFAULTS.body(body, length, type);
    return out == body ? new String(body, 0, length, StandardCharsets.UTF_8) : new String(out, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ generators

  /** An input with a secret in it, and exactly what redacting it must give. */
  record Case(String input, String expected, String secret) {}

  private static Arbitrary<String> secrets() {
    return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPRSTUVWXY0123456789").ofLength(12).map(s -> "ZQ" + s);
  }

  /** A field word of the defaults in any ASCII case, inside a longer name or alone. */
  private static Arbitrary<String> sensitiveNames() {
    return sensitiveNames(Redactor.DEFAULT_FIELDS);
  }

  private static Arbitrary<String> sensitiveNames(List<String> words) {
    Arbitrary<String> word = Combinators.combine(Arbitraries.of(words), Arbitraries.longs())
        .as((w, mask) -> {
          char[] c = w.toCharArray();
          for (int i = 0; i < c.length; i++) {
            if ((mask >>> i & 1) != 0) {
              c[i] = Character.toUpperCase(c[i]);
            }
          }
          return new String(c);
        });
    Arbitrary<String> around = Arbitraries.strings().withChars("bcdfghklmnprstvwxyBCDFGHKLMNPRSTVWXY_-.")
        .ofMaxLength(6);
    return Combinators.combine(around, word, around).as((a, w, b) -> a + w + b);
  }

  private static Arbitrary<String> ws() {
    return Arbitraries.strings().withChars(" \t\r\n").ofMaxLength(2);
  }

  /** A JSON string of PLAIN text, escaped the ways JSON allows. */
  private static Arbitrary<String> jsonString() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.strings().withChars(PLAIN).ofMinLength(1).ofMaxLength(3)),
        Tuple.of(1, Arbitraries.of("\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e7", "\\ud83d\\ude00", "\\\\\\\"", "\ud83d\ude00")));
    return piece.list().ofMaxSize(6).map(p -> "\"" + String.join("", p) + "\"");
  }

  private static Arbitrary<String> jsonScalar() {
    return Arbitraries.oneOf(jsonString(), Arbitraries.of("true", "false", "null", "-0.5e-3", "1E+2", "-1", "0"));
  }

  private static Arbitrary<String> jsonValue(int depth) {
    if (depth == 0) {
      return jsonScalar();
    }
    return Arbitraries.frequencyOf(Tuple.of(4, jsonScalar()),
        Tuple.of(1, Arbitraries.lazy(() -> jsonObject(depth - 1))),
        Tuple.of(1, Arbitraries.lazy(() -> jsonArray(depth - 1))));
  }

  private static Arbitrary<String> member(int depth) {
    return Combinators.combine(ws(), jsonString(), ws(), ws(), jsonValue(depth), ws())
        .as((a, k, b, c, v, d) -> a + k + b + ":" + c + v + d);
  }

  private static Arbitrary<String> jsonObject(int depth) {
    return member(depth).list().ofMaxSize(3).map(m -> "{" + String.join(",", m) + "}");
  }

  private static Arbitrary<String> jsonArray(int depth) {
    return Combinators.combine(ws(), jsonValue(depth), ws()).as((a, v, b) -> a + v + b).list().ofMaxSize(3)
        .map(m -> "[" + String.join(",", m) + "]");
  }

  /** The values a secret may hide in: a string (escapes around it), an object or an array holding it. */
  private static Arbitrary<String> secretValue(String secret) {
    return Arbitraries.of("\"" + secret + "\"", "\"a\\\"" + secret + "\\\\\"", "{\"v\": \"" + secret + "\"}",
        "[\"" + secret + "\", {\"k\": [\"" + secret + "\"]}]", "{\"n\": {\"m\": \"x\\\"}" + secret + "\"}}");
  }

  /** One level around the sensitive member: an object or an array, with siblings before and after. */
  record Level(boolean array, List<String> before, List<String> after, String key) {}

  @Provide
  Arbitrary<Case> jsonCases() {
    return jsonCases(sensitiveNames());
  }

  private static Arbitrary<Case> jsonCases(Arbitrary<String> sensitiveNames) {
    Arbitrary<List<String>> values = Combinators.combine(ws(), jsonValue(1), ws()).as((a, v, b) -> a + v + b).list()
        .ofMaxSize(2);
    Arbitrary<Level> arrayLevel = Combinators.combine(values, values).as((b, a) -> new Level(true, b, a, null));
    Arbitrary<Level> objectLevel = Combinators.combine(member(1).list().ofMaxSize(2), member(1).list().ofMaxSize(2),
        jsonString()).as((b, a, key) -> new Level(false, b, a, key));
    Arbitrary<String> sensitiveKey = sensitiveNames.map(n -> "\"" + n + "\"");
    return Combinators.combine(secrets(), sensitiveKey, ws(), ws(), Arbitraries.oneOf(arrayLevel, objectLevel).list()
        .ofMaxSize(4), member(1).list().ofMaxSize(2), member(1).list().ofMaxSize(2), ws()).flatAs(
        (secret, key, a, b, levels, before, after, lead) -> secretValue(secret).map(value -> {
          String head = key + a + ":" + b;
          String[] doc = {wrap(new Level(false, before, after, null), head + value),
              wrap(new Level(false, before, after, null), head + "\"" + Redactor.MASK + "\"")};
          for (Level l : levels) {
            for (int i = 0; i < 2; i++) {
              doc[i] = wrap(l, doc[i]);
            }
          }
          return new Case(lead + doc[0], lead + doc[1], secret);
        }));
  }

  /** {@code inner} among the level's siblings: a value of an array, or a member of an object (the value of its key). */
  private static String wrap(Level level, String inner) {
    List<String> items = new ArrayList<>(level.before);
    items.add(level.array || level.key == null ? inner : level.key + ":" + inner);
    items.addAll(level.after);
    return level.array ? "[" + String.join(",", items) + "]" : "{" + String.join(",", items) + "}";
  }

  @Provide
  Arbitrary<String> jsonTypes() {
    return Arbitraries.of("application/json", "application/json; charset=UTF-8", "application/problem+json",
        "text/plain", null);
  }

  private static Arbitrary<String> encoded() {
    return Arbitraries.strings().withChars(PLAIN + "&=+%#?").ofMaxLength(8)
        .map(s -> URLEncoder.encode(s + (s.length() == 7 ? "\ud83d\ude00" : ""), StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<List<String>> plainPairs() {
    return pairs();
  }

  private static Arbitrary<List<String>> pairs() {
    return Combinators.combine(encoded(), Arbitraries.of("=", ""), encoded()).as((n, eq, v) -> n + eq + v).list()
        .ofMaxSize(5);
  }

  @Provide
  Arbitrary<Case> formCases() {
    return formCases(sensitiveNames());
  }

  private static Arbitrary<Case> formCases(Arbitrary<String> sensitiveNames) {
    return Combinators.combine(secrets(), sensitiveNames, pairs(), Arbitraries.integers().between(0, 5),
        Arbitraries.of("", "&")).as((secret, name, pairs, at, extra) -> {
          int index = Math.min(at, pairs.size());
          List<String> in = new ArrayList<>(pairs);
          List<String> out = new ArrayList<>(pairs);
          String encodedName = URLEncoder.encode(name, StandardCharsets.UTF_8);
          in.add(index, encodedName + "=" + secret);
          out.add(index, encodedName + "=%5BREDACTED%5D");
          return new Case(String.join("&", in) + extra, String.join("&", out) + extra, secret);
        });
  }

  @Provide
  Arbitrary<String> formTypes() {
    return Arbitraries.of("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
        "Application/X-WWW-Form-Urlencoded");
  }

  @Provide
  Arbitrary<String> urlPrefixes() {
    return Arbitraries.of("http://h", "https://api.example:8443/v1/orders", "http://127.0.0.1:8080/a/b/c",
        "/relative/path", "");
  }

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.of("h", "api.example:8443/v1/orders", "127.0.0.1:8080/a/b/c", "[::1]:80");
  }

  @Provide
  Arbitrary<String> jwts() {
    Arbitrary<String> part = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric()
        .withChars("-_").ofMinLength(4).ofMaxLength(40);
    return Combinators.combine(part, part, part).as((a, b, c) -> "eyJ" + a + "." + b + "." + c);
  }

  @Provide
  Arbitrary<String> userInfos() {
    Arbitrary<String> part = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric()
        .withChars("-._~!$&'()*+,;=%").ofMinLength(1).ofMaxLength(20);
    return Combinators.combine(part, part, Arbitraries.of(":", "")).as((u, p, colon) -> u + colon + (colon.isEmpty() ? "" : p));
  }

  @Provide
  Arbitrary<String> sensitiveHeaderNames() {
    Arbitrary<String> configured = Arbitraries.of(Redactor.DEFAULT_HEADERS).map(h -> h.toUpperCase(Locale.ROOT));
    return Arbitraries.oneOf(sensitiveNames(), configured, Arbitraries.of(Redactor.DEFAULT_HEADERS));
  }

  @Provide
  Arbitrary<String> anyText() {
    return HostileText.anyText(60).injectNull(0.05);
  }

  @Provide
  Arbitrary<String> anyType() {
    return Arbitraries.oneOf(Arbitraries.of("application/json", "application/x-www-form-urlencoded", "text/plain"),
        HostileText.anyText(30)).injectNull(0.2);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> tricky = Arbitraries.strings().withChars("{}[]\":,=& \t\\apsword_tkenAUTH\u00e9").ofMaxLength(300)
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> nearMisses = HostileText.mutationsOf(Arbitraries.oneOf(jsonCases(), formCases()).map(Case::input))
        .map(s -> s.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, tricky, nearMisses);
  }

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> valid = Combinators.combine(urlPrefixes(), formCases()).as((p, c) -> p + "?" + c.input);
    return Arbitraries.oneOf(HostileText.validOrNearMiss(valid), HostileText.anyText(120));
  }

  /**
   * The defaults, or words of its own: one-letter words, an empty word (every field is sensitive),
   * words longer than the scan's longest step, words that share prefixes.
   */
  @Provide
  Arbitrary<Redactor> configs() {
    Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').withChars("_-")
        .ofMinLength(1).ofMaxLength(8), Arbitraries.of("", "x", "ab", "abc", "a".repeat(70), "pass", "password"));
    Arbitrary<Redactor> own = word.list().ofMinSize(1).ofMaxSize(5)
        .map(words -> new Redactor(Redactor.DEFAULT_HEADERS, words));
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(DEFAULTS)), Tuple.of(1, own));
  }
}
