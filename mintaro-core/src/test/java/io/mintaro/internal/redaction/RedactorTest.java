package io.mintaro.internal.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Secrets are removed before anything is recorded, and everything else is kept exactly. */
class RedactorTest {
  private static final String MASK = Redactor.MASK;
  private final Redactor redactor = new Redactor(
      List.of("authorization", "cookie", "set-cookie", "proxy-authorization"), List.of("password", "token", "secret"));

  // --- headers --------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION", "Cookie", "set-cookie", "Set-Cookie",
      "Proxy-Authorization"})
  void defaultSensitiveHeadersAreMaskedWhateverTheirCase(String name) {
    assertThat(redactor.header(name, "Bearer abc.def")).isEqualTo(MASK);
  }

  @Test
  void otherHeadersAreKept() {
    assertThat(redactor.header("Content-Type", "application/json")).isEqualTo("application/json");
    assertThat(redactor.header("X-Authorization-Hint", "visible")).isEqualTo("visible");
    assertThat(redactor.header(null, "v")).isEqualTo("v");
    assertThat(redactor.header("Accept", null)).isNull();
  }

  @Test
  void configuredHeadersAreMaskedToo() {
    Redactor custom = new Redactor(List.of("authorization", "x-api-key"), List.of("password"));
    assertThat(custom.header("X-Api-Key", "k")).isEqualTo(MASK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Request-Token", "X-Secret", "Private-Token", "X-Password"})
  void aHeaderWhoseNameHoldsAFieldWordIsMasked(String name) {
    assertThat(redactor.header(name, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl")).isEqualTo(MASK);
  }

  // --- the defaults ---------------------------------------------------------------------------

  private final Redactor defaults = new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_FIELDS);

  @ParameterizedTest
  @ValueSource(strings = {"api_key", "apikey", "api-key", "auth", "credentials", "passwd", "private_key", "session",
      "client_secret", "refresh_token", "sessionId", "oauthCode", "privateKey", "webhookSignature", "cookies"})
  void theDefaultWordsCoverTheCommonSecretNames(String name) {
    assertThat(defaults.url("http://h/x?" + name + "=s3cr3t&page=2"))
        .isEqualTo("http://h/x?" + name + "=%5BREDACTED%5D&page=2");
    assertThat(new String(defaults.body(("{\"" + name + "\":\"s3cr3t\"}").getBytes(StandardCharsets.UTF_8), name.length() + 13,
        "application/json"), StandardCharsets.UTF_8)).isEqualTo("{\"" + name + "\":\"[REDACTED]\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X-Api-Key", "X-Auth-Token", "X-Request-Token", "X-Session-Id", "Www-Authenticate",
      "X-Goog-Api-Key"})
  void theDefaultHeadersAndAnyHeaderNamedWithAFieldWordAreMasked(String name) {
    assertThat(defaults.header(name, "s3cr3t")).isEqualTo(MASK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Content-Type", "Accept", "User-Agent", "traceparent", "X-Mintaro-Trace", "Host"})
  void ordinaryHeadersAreKeptByTheDefaults(String name) {
    assertThat(defaults.header(name, "v")).isEqualTo("v");
  }

  @Test
  void aJwtInAQueryParameterIsMaskedWhateverTheParametersName() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl";

    assertThat(redactor.url("http://h/cb?t=" + jwt + "&page=2")).isEqualTo("http://h/cb?t=%5BREDACTED%5D&page=2");
    assertThat(redactor.url("http://h/cb?q=eyJust.kidding&page=2")).as("not three parts")
        .isEqualTo("http://h/cb?q=eyJust.kidding&page=2");
    assertThat(redactor.url("http://h/cb?q=eyJ")).isEqualTo("http://h/cb?q=eyJ");
  }

  // --- header values, whatever the header's name ----------------------------------------------

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Bearer mt_0123456789abcdef                                   | Bearer",
      "Basic c3ZjOnBhc3N3b3Jk                                       | Basic",
      "Digest username=\"a\", response=\"6629fae49393a05397450978507c4ef1\"  | Digest",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261203/eu-west-1/s3/aws4_request, Signature=fe5f80f77d5fa3be | AWS4-HMAC-SHA256"})
  void anAuthorizationSchemeInAHeaderWithAnOrdinaryNameKeepsOnlyTheSchemesName(String value, String scheme) {
    assertThat(defaults.header("X-Forwarded-Access", value.strip())).isEqualTo(scheme + " " + MASK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic tier", "Bearer", "Token sale today", "Digest weekly", "text/html"})
  void ordinaryValuesThatStartLikeASchemeAreKept(String value) {
    assertThat(defaults.header("X-Plan", value)).isEqualTo(value);
  }

  @Test
  void jwtsAndCardNumbersInAnyHeaderValueAreMasked() {
    String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl";
    assertThat(defaults.header("X-Id-Assertion", jwt)).isEqualTo(MASK);
    assertThat(defaults.header("X-Note", "card 4111 1111 1111 1111")).isEqualTo("card " + MASK);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ocp-Apim-Subscription-Key", "X-Hub-Signature-256", "Stripe-Signature", "X-Original-Cookie"})
  void subscriptionKeysSignaturesAndCookiesUnderOtherNamesAreMaskedByDefault(String name) {
    assertThat(defaults.header(name, "s3cr3t")).isEqualTo(MASK);
  }

  // --- values in bodies and URLs --------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "application/xml", "application/json", "application/octet-stream"})
  void jwtsAndCardNumbersAreMaskedInBodiesOfAnyType(String type) {
    String body = "<a>eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl</a><b>5555-5555-5555-4444</b>";
    assertThat(text(defaults.body(bytes(body), body.length(), type))).isEqualTo("<a>" + MASK + "</a><b>" + MASK + "</b>");
  }

  @Test
  void valuesAreMaskedAfterTheFieldsSoBothApplyToOneBody() {
    String body = "{\"password\":\"p\",\"note\":\"card 4111111111111111\"}";
    assertThat(text(defaults.body(bytes(body), body.length(), "application/json")))
        .isEqualTo("{\"password\":\"" + MASK + "\",\"note\":\"card " + MASK + "\"}");
  }

  @Test
  void aBodyWithoutSecretsIsStillTheSameArrayWithValuePatterns() {
    byte[] body = bytes("{\"order\":\"1764763200000\",\"amount\":12.5,\"eyes\":\"yes\"}");
    assertThat(defaults.body(body, body.length, "application/json")).isSameAs(body);
  }

  @Test
  void valuePatternsCanBeTurnedOffOnlyToMeasureThem() {
    Redactor fieldsOnly = new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_FIELDS, false);
    byte[] body = bytes("card 4111111111111111");
    assertThat(fieldsOnly.body(body, body.length, "text/plain")).isSameAs(body);
  }

  @Test
  void cardNumbersAndJwtsInAUrlsPathOrQueryAreMasked() {
    assertThat(defaults.url("http://h/cards/4111111111111111/charge?card_number=5555555555554444&page=2"))
        .isEqualTo("http://h/cards/" + MASK + "/charge?card_number=" + MASK + "&page=2");
  }

  @Test
  void sigAndKeyParametersAreMaskedByTheirExactName() {
    assertThat(defaults.url("https://acct.blob.example/c/b?sv=2022-11-02&sig=abc%3D&signal=on&key=AIzaSy&keys=3"))
        .isEqualTo("https://acct.blob.example/c/b?sv=2022-11-02&sig=%5BREDACTED%5D&signal=on&key=%5BREDACTED%5D&keys=3");
    String form = "sig=abc&design=x";
    assertThat(text(defaults.body(bytes(form), form.length(), "application/x-www-form-urlencoded")))
        .isEqualTo("sig=%5BREDACTED%5D&design=x");
  }

  // --- multipart ------------------------------------------------------------------------------

  @Test
  void multipartPartsWithSensitiveNamesAndFilePartsAreMaskedWhole_otherPartsAreKept() {
    String body = "--XyZ\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nhello\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nhunter2\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"id_rsa\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n-----BEGIN KEY-----\r\nAAAA\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
        + "{\"token\":\"t\"}\r\n--XyZ--\r\n";

    String out = text(defaults.body(bytes(body), body.length(), "multipart/form-data; boundary=XyZ"));

    assertThat(out).isEqualTo("--XyZ\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nhello\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n" + MASK + "\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"id_rsa\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + MASK + "\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n"
        + "{\"token\":\"" + MASK + "\"}\r\n--XyZ--\r\n");
  }

  @Test
  void aMultipartBodyCutInsideASecretPartLeaksNothing_andAQuotedBoundaryIsRead() {
    String body = "--b1\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nk_0123456789";
    assertThat(text(defaults.body(bytes(body), body.length(), "multipart/form-data; boundary=\"b1\"")))
        .isEqualTo("--b1\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n" + MASK);
  }

  @Test
  void aMultipartBodyWithNothingToMaskIsTheSameArray() {
    byte[] body = bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n");
    assertThat(defaults.body(body, body.length, "multipart/form-data; boundary=b")).isSameAs(body);
  }

  // --- JSON bodies ----------------------------------------------------------------------------

  @Test
  void sensitiveJsonFieldsAreMaskedAndEverythingElseIsKeptByteForByte() {
    assertThat(json("{\"user\": \"ann\", \"password\": \"hunter2\", \"n\": 1}"))
        .isEqualTo("{\"user\": \"ann\", \"password\": \"" + MASK + "\", \"n\": 1}");
    assertThat(json("{\"password\":\"hunter2\"}")).isEqualTo("{\"password\":\"" + MASK + "\"}");
    assertThat(json("{\n  \"secret\" :\t\"s\" ,\n  \"x\": [1, 2]\n}"))
        .isEqualTo("{\n  \"secret\" :\t\"" + MASK + "\" ,\n  \"x\": [1, 2]\n}");
  }

  @Test
  void fieldNamesMatchByContainedWordIgnoringCase() {
    assertThat(json("{\"newPassword\":\"a\",\"access_token\":\"b\",\"ClientSecret\":\"c\",\"PASSWORD\":\"d\","
        + "\"tokens\":\"e\",\"name\":\"f\"}"))
        .isEqualTo("{\"newPassword\":\"" + MASK + "\",\"access_token\":\"" + MASK + "\",\"ClientSecret\":\"" + MASK
            + "\",\"PASSWORD\":\"" + MASK + "\",\"tokens\":\"" + MASK + "\",\"name\":\"f\"}");
  }

  @Test
  void nestedObjectsAndArraysAreSearched() {
    assertThat(json("{\"user\":{\"name\":\"ann\",\"auth\":{\"token\":\"t1\"}},"
        + "\"list\":[{\"password\":\"p1\"},{\"password\":\"p2\",\"keep\":true}]}"))
        .isEqualTo("{\"user\":{\"name\":\"ann\",\"auth\":{\"token\":\"" + MASK + "\"}},"
            + "\"list\":[{\"password\":\"" + MASK + "\"},{\"password\":\"" + MASK + "\",\"keep\":true}]}");
    assertThat(json("[{\"token\":\"a\"},{\"token\":\"b\"}]"))
        .isEqualTo("[{\"token\":\"" + MASK + "\"},{\"token\":\"" + MASK + "\"}]");
  }

  @Test
  void nonStringValuesAreMaskedWhole() {
    assertThat(json("{\"token\":12345,\"a\":1}")).isEqualTo("{\"token\":\"" + MASK + "\",\"a\":1}");
    assertThat(json("{\"token\":-1.5e3}")).isEqualTo("{\"token\":\"" + MASK + "\"}");
    assertThat(json("{\"secret\":true,\"b\":false}")).isEqualTo("{\"secret\":\"" + MASK + "\",\"b\":false}");
    assertThat(json("{\"secret\":null}")).isEqualTo("{\"secret\":\"" + MASK + "\"}");
    assertThat(json("[{\"token\":7}]")).isEqualTo("[{\"token\":\"" + MASK + "\"}]");
  }

  @Test
  void objectAndArrayValuesAreMaskedWhole() {
    assertThat(json("{\"secret\":{\"a\":\"x\",\"b\":{\"c\":[1,\"}\"]}},\"after\":\"kept\"}"))
        .isEqualTo("{\"secret\":\"" + MASK + "\",\"after\":\"kept\"}");
    assertThat(json("{\"tokens\":[\"a\",\"b]\",[\"c\"]],\"after\":1}"))
        .isEqualTo("{\"tokens\":\"" + MASK + "\",\"after\":1}");
  }

  @Test
  void escapedQuotesInsideStringsDoNotConfuseTheTokenizer() {
    assertThat(json("{\"note\":\"say \\\"password\\\": no\",\"password\":\"a\\\"b\\\\\",\"x\":\"y\"}"))
        .isEqualTo("{\"note\":\"say \\\"password\\\": no\",\"password\":\"" + MASK + "\",\"x\":\"y\"}");
    assertThat(json("{\"pass\\\"word\":\"visible?\",\"token\":\"\\\\\"}"))
        .isEqualTo("{\"pass\\\"word\":\"visible?\",\"token\":\"" + MASK + "\"}");
  }

  @Test
  void aWordThatOnlyAppearsInValuesIsNotAField() {
    assertThat(json("{\"message\":\"forgot my password\",\"hint\":\"token: none\"}"))
        .isEqualTo("{\"message\":\"forgot my password\",\"hint\":\"token: none\"}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"password\":\"hunt          | {\"password\":\"" + MASK + "\"",
      "{\"password\": \"hunt         | {\"password\": \"" + MASK + "\"",
      "{\"password\":                | {\"password\":\"" + MASK + "\"",
      "{\"token\":{\"a\":[1,2        | {\"token\":\"" + MASK + "\"",
      "{\"token\":123                | {\"token\":\"" + MASK + "\"",
      "{\"a\":1,\"passw              | {\"a\":1,\"passw",
      "{\"user\":\"x\",\"password\"  | {\"user\":\"x\",\"password\""})
  void aBodyTruncatedMidValueNeverLeaksTheSecret(String body, String expected) {
    assertThat(json(body.strip())).isEqualTo(expected.strip());
  }

  @Test
  void truncationRightAfterABackslashIsHandled() {
    assertThat(json("{\"password\":\"abc\\")).isEqualTo("{\"password\":\"" + MASK + "\"");
  }

  @Test
  void jsonIsRecognisedByContentTypeOrFirstCharacter() {
    String body = "  {\"password\":\"p\"}";
    String masked = "  {\"password\":\"" + MASK + "\"}";
    assertThat(text(redactor.body(bytes(body), body.length(), null))).isEqualTo(masked);
    assertThat(text(redactor.body(bytes(body), body.length(), "application/vnd.api+json; charset=utf-8"))).isEqualTo(masked);
    String list = "[{\"token\":\"t\"}]";
    assertThat(text(redactor.body(bytes(list), list.length(), "text/plain"))).isEqualTo("[{\"token\":\"" + MASK + "\"}]");
  }

  @Test
  void onlyTheGivenLengthOfTheBufferIsRedactedAndReturned() {
    byte[] buffer = new byte[64];
    byte[] body = bytes("{\"token\":\"t\"}");
    System.arraycopy(body, 0, buffer, 0, body.length);
    java.util.Arrays.fill(buffer, body.length, buffer.length, (byte) 'Z');

    assertThat(text(redactor.body(buffer, body.length, "application/json"))).isEqualTo("{\"token\":\"" + MASK + "\"}");
  }

  @Test
  void multibyteTextAroundSecretsIsKept() {
    assertThat(json("{\"名前\":\"日本語 😀\",\"password\":\"пароль\",\"x\":\"é\"}"))
        .isEqualTo("{\"名前\":\"日本語 😀\",\"password\":\"" + MASK + "\",\"x\":\"é\"}");
  }

  // --- forms and URLs -------------------------------------------------------------------------

  @Test
  void formBodiesAreMasked() {
    String form = "user=ann&password=hunter2&newPassword=x%20y&remember=on&access_token=abc";
    byte[] out = redactor.body(bytes(form), form.length(), "application/x-www-form-urlencoded; charset=UTF-8");

    assertThat(text(out)).isEqualTo("user=ann&password=%5BREDACTED%5D&newPassword=%5BREDACTED%5D&remember=on"
        + "&access_token=%5BREDACTED%5D");
  }

  @Test
  void formEdgeCasesAreKeptAsTheyAre() {
    String form = "&password=&token&a=1&&secret=s&";
    byte[] out = redactor.body(bytes(form), form.length(), "application/x-www-form-urlencoded");

    assertThat(text(out)).isEqualTo("&password=%5BREDACTED%5D&token&a=1&&secret=%5BREDACTED%5D&");
  }

  @Test
  void urlQueryStringsAreMasked() {
    assertThat(redactor.url("https://api.example.com/login?user=ann&password=hunter2&next=/home"))
        .isEqualTo("https://api.example.com/login?user=ann&password=%5BREDACTED%5D&next=/home");
    assertThat(redactor.url("http://h/cb?Access_Token=abc")).isEqualTo("http://h/cb?Access_Token=%5BREDACTED%5D");
  }

  @Test
  void urlsWithoutSecretsAreReturnedAsTheyAre() {
    String url = "http://h/api/tokens/42?page=2";
    assertThat(redactor.url(url)).isSameAs(url);
    String noQuery = "http://h/password-reset";
    assertThat(redactor.url(noQuery)).isSameAs(noQuery);
    assertThat(redactor.url(null)).isNull();
  }

  @Test
  void nonAsciiCharactersBeforeASecretInAQueryDoNotHideIt() {
    String url = "http://h/search?q=" + "é".repeat(40) + "&token=abc";

    assertThat(redactor.url(url)).isEqualTo("http://h/search?q=" + "é".repeat(40) + "&token=%5BREDACTED%5D");
  }

  // --- no copies, no failures -----------------------------------------------------------------

  @Test
  void aBodyThatMentionsNoFieldIsReturnedAsTheSameArray() {
    byte[] body = bytes("{\"user\":\"ann\",\"amount\":12}");
    assertThat(redactor.body(body, body.length, "application/json")).isSameAs(body);
    byte[] form = bytes("a=1&b=2");
    assertThat(redactor.body(form, form.length, "application/x-www-form-urlencoded")).isSameAs(form);
    byte[] empty = new byte[0];
    assertThat(redactor.body(empty, 0, "application/json")).isSameAs(empty);
    assertThat(redactor.body(null, 0, "application/json")).isNull();
  }

  @Test
  void aSecretBeyondTheGivenLengthIsNotLookedAt() {
    byte[] body = bytes("{\"a\":1}{\"password\":\"p\"}");
    assertThat(redactor.body(body, 7, "application/json")).isSameAs(body);
  }

  @Test
  void plainTextThatMentionsAFieldIsNotRewritten() {
    byte[] body = bytes("password reset requested");
    assertThat(redactor.body(body, body.length, "text/plain")).isSameAs(body);
  }

  @Test
  void garbageBodiesNeverThrowAndNeverGrowUnboundedly() {
    Random random = new Random(5);
    String alphabet = "{}[]\":,\\ \n\r passwordtokensecret=&%é1--ab\r\nfilename=\"";
    for (int i = 0; i < 5_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(200);
      for (int j = 0; j < n; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      byte[] body = bytes(b.toString());
      for (String type : new String[] {"application/json", "application/x-www-form-urlencoded", null,
          "multipart/form-data; boundary=ab"}) {
        assertThatCode(() -> {
          byte[] out = redactor.body(body, body.length, type);
          assertThat(out.length).isLessThanOrEqualTo(body.length + 16 * (body.length + 1));
        }).doesNotThrowAnyException();
      }
      assertThatCode(() -> redactor.url("http://h/?" + b)).doesNotThrowAnyException();
    }
  }

  private String json(String body) {
    byte[] b = bytes(body);
    return text(redactor.body(b, b.length, "application/json"));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
