package io.mintaro.testkit.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A generated corpus of realistic secrets in every place a request carries them, for tests that
 * prove none of them is ever stored. Every value is made up from a seeded {@link Random}: the same
 * seed gives the same corpus, and no entry is a real credential. Each entry has unique secrets (so
 * a leak is found by searching for them exactly) and a unique harmless neighbour placed next to
 * them (so a test that stored nothing could not pass).
 */
public final class SecretCorpus {
  /** What kind of secret an entry holds; the report counts leaks per category. */
  public enum Category {
    AUTHORIZATION_BEARER, AUTHORIZATION_BASIC, AUTHORIZATION_DIGEST, AUTHORIZATION_SIGV4, PROXY_AUTHORIZATION,
    SCHEME_IN_OTHER_HEADER, JWT_IN_OTHER_HEADER, COOKIE, SET_COOKIE, API_KEY_HEADER, QUERY_PARAMETER,
    JWT_IN_QUERY, CARD_IN_URL, JSON_FIELD, FORM_FIELD, MULTIPART_FIELD, MULTIPART_FILE, JWT_IN_BODY,
    CARD_IN_BODY, JWT_IN_LOG, CARD_IN_LOG, JWT_IN_EXCEPTION, CARD_IN_EXCEPTION
  }

  /** Where an entry travels. */
  public enum Place {
    /** A request header {@code name: value}. */
    REQUEST_HEADER,
    /** A response header {@code name: value}. */
    RESPONSE_HEADER,
    /** A query parameter {@code name=value} (value already URL-encoded). */
    QUERY,
    /** The whole request body {@code value}, of type {@code contentType}. */
    REQUEST_BODY,
    /** The whole response body {@code value}, of type {@code contentType}. */
    RESPONSE_BODY,
    /** A log line {@code value}, at level {@code name}. */
    LOG_MESSAGE,
    /** The message of an exception {@code value}; {@code name} says whether it is thrown or a cause. */
    EXCEPTION_MESSAGE
  }

  /**
   * @param name the header, query parameter or log level, or the exception's role; the content type for bodies
   * @param value what is sent: the header or parameter value, the whole body, the log message
   * @param secrets what must never be stored: the value's secret parts (a Basic header's base64
   *     and its password, a JWT and its signature...)
   * @param neighbourName the header or parameter that carries {@code neighbour}, for header and query entries
   * @param neighbour a unique harmless text sent with the secret, which must be stored
   */
  public record Entry(String id, Category category, Place place, String name, String value, List<String> secrets,
      String neighbourName, String neighbour) {}

  private final Random random;
  private final List<Entry> entries = new ArrayList<>();

  private SecretCorpus(long seed) {
    this.random = new Random(seed);
  }

  /** The corpus of {@code seed}, always the same one for the same seed. */
  public static List<Entry> generate(long seed) {
    SecretCorpus c = new SecretCorpus(seed);
    c.headers();
    c.query();
    c.bodies();
    c.logsAndExceptions();
    Set<String> seen = new HashSet<>();
    for (Entry e : c.entries) {
      for (String s : e.secrets()) {
        if (!seen.add(s)) {
          throw new IllegalStateException("secret of " + e.id() + " is not unique: " + s);
        }
      }
    }
    return List.copyOf(c.entries);
  }

  // --- headers --------------------------------------------------------------------------------

  private void headers() {
    String bearer = "mt_" + base64url(40);
    header(Category.AUTHORIZATION_BEARER, "Authorization", "Bearer " + bearer, bearer);
    String jwt = jwt();
    header(Category.AUTHORIZATION_BEARER, "Authorization", "Bearer " + jwt, jwt, signature(jwt));

    String password = password();
    String basic = basic("svc-" + hex(4), password);
    header(Category.AUTHORIZATION_BASIC, "Authorization", "Basic " + basic, basic, password);

    String response = hex(32);
    header(Category.AUTHORIZATION_DIGEST, "Authorization", "Digest username=\"svc-" + hex(4)
        + "\", realm=\"corpus\", nonce=\"" + hex(32) + "\", uri=\"/corpus\", qop=auth, nc=00000001, cnonce=\""
        + hex(16) + "\", response=\"" + response + "\"", response);

    String keyId = "AKIA" + upperAlnum(16);
    String sigV4 = hex(64);
    header(Category.AUTHORIZATION_SIGV4, "Authorization", "AWS4-HMAC-SHA256 Credential=" + keyId
        + "/20261203/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
        + sigV4, sigV4, keyId);

    String proxyPassword = password();
    String proxyBasic = basic("proxy-" + hex(4), proxyPassword);
    header(Category.PROXY_AUTHORIZATION, "Proxy-Authorization", "Basic " + proxyBasic, proxyBasic, proxyPassword);

    String forwarded = "mt_" + base64url(36);
    header(Category.SCHEME_IN_OTHER_HEADER, "X-Forwarded-Access", "Bearer " + forwarded, forwarded);
    String upstreamPassword = password();
    String upstream = basic("up-" + hex(4), upstreamPassword);
    header(Category.SCHEME_IN_OTHER_HEADER, "X-Upstream", "Basic " + upstream, upstream, upstreamPassword);

    String assertion = jwt();
    header(Category.JWT_IN_OTHER_HEADER, "X-Id-Assertion", assertion, assertion, signature(assertion));

    String sessionId = hex(32);
    String csrf = base64url(32);
    header(Category.COOKIE, "Cookie", "theme=dark; JSESSIONID=" + sessionId + "; csrftoken=" + csrf, sessionId, csrf);

    String session = base64url(48);
    add(Category.SET_COOKIE, Place.RESPONSE_HEADER, "Set-Cookie",
        "SESSION=" + session + "; Path=/; HttpOnly; Secure; SameSite=Lax", List.of(session));
    String remember = hex(40);
    add(Category.SET_COOKIE, Place.RESPONSE_HEADER, "Set-Cookie",
        "remember_me=" + remember + "; Max-Age=2592000; Path=/", List.of(remember));

    for (String name : List.of("X-API-Key", "Api-Key", "X-Auth-Token", "X-Amz-Security-Token", "X-Goog-Api-Key",
        "Private-Token", "X-Vault-Token", "X-CSRF-Token", "Ocp-Apim-Subscription-Key", "X-Hub-Signature-256")) {
      String key = name.equals("X-Hub-Signature-256") ? "sha256=" + hex(64) : "k_" + base64url(32);
      header(Category.API_KEY_HEADER, name, key, key);
    }
  }

  private void header(Category category, String name, String value, String... secrets) {
    add(category, Place.REQUEST_HEADER, name, value, List.of(secrets));
  }

  // --- query strings --------------------------------------------------------------------------

  private void query() {
    for (String name : List.of("access_token", "api_key", "apiKey", "client_secret", "password", "refresh_token",
        "X-Amz-Signature", "X-Amz-Credential", "sig", "key")) {
      String value = name.equals("X-Amz-Signature") ? hex(64)
          : name.equals("X-Amz-Credential") ? "AKIA" + upperAlnum(16) + "%2F20261203%2Feu-west-1%2Fs3%2Faws4_request"
          : name.equals("key") ? "AIza" + base64url(35)
          : name.equals("sig") ? base64url(43) + "%3D"
          : base64url(32);
      add(Category.QUERY_PARAMETER, Place.QUERY, name, value, List.of(value));
    }
    String idToken = jwt();
    add(Category.JWT_IN_QUERY, Place.QUERY, "id_token", idToken, List.of(idToken, signature(idToken)));
    String t = jwt();
    add(Category.JWT_IN_QUERY, Place.QUERY, "t", t, List.of(t, signature(t)));
    String card = card('4', 16);
    add(Category.CARD_IN_URL, Place.QUERY, "card_number", card, List.of(card));
    String spaced = card('5', 16);
    add(Category.CARD_IN_URL, Place.QUERY, "pan", group(spaced, "+"), List.of(group(spaced, "+"), spaced));
  }

  // --- bodies ---------------------------------------------------------------------------------

  private void bodies() {
    String s;
    String n;
    s = password();
    n = neighbour();
    json("{\"user\":{\"name\":\"" + n + "\",\"credentials\":{\"password\":\"" + s + "\"}}}", s, n);
    s = "k_" + base64url(32);
    n = neighbour();
    json("{\"items\":[{\"sku\":\"" + n + "\",\"apiKey\":\"" + s + "\"},{\"sku\":\"plain\"}]}", s, n);
    s = base64url(40);
    n = neighbour();
    json("[{\"note\":\"" + n + "\",\"refresh_token\":\"" + s + "\"}]", s, n);
    s = base64url(40);
    n = neighbour();
    json("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"client_secret\":\"" + s + "\"}}}}},\"trace\":\"" + n + "\"}", s, n);
    s = "-----BEGIN PRIVATE KEY-----\\n" + base64(48) + "\\n-----END PRIVATE KEY-----";
    n = neighbour();
    json("{\"kid\":\"" + n + "\",\"privateKey\":\"" + s + "\"}", s, n);
    s = base64url(24);
    String s2 = base64url(24);
    n = neighbour();
    json("{\"config\":{\"name\":\"" + n + "\",\"secrets\":[\"" + s + "\",\"" + s2 + "\"]}}", s, s2, n);
    s = base64(30);
    n = neighbour();
    json("{\"accessKeyId\":\"" + n + "\",\"secretAccessKey\":\"" + s + "\"}", s, n);
    s = base64url(32);
    n = neighbour();
    add(Category.JSON_FIELD, Place.RESPONSE_BODY, "application/json",
        "{\"status\":\"" + n + "\",\"access_token\":\"" + s + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
        List.of(s), null, n);

    s = password();
    n = neighbour();
    form("username=" + n + "&password=" + s + "&remember=1", s, n);
    s = base64url(40);
    n = neighbour();
    form("grant_type=client_credentials&client_id=" + n + "&client_secret=" + s, s, n);
    s = base64url(32);
    n = neighbour();
    form("sig=" + s + "&sv=" + n, s, n);

    multipart(Category.MULTIPART_FIELD, "password", null, "text/plain", password());
    multipart(Category.MULTIPART_FIELD, "api_key", null, null, "k_" + base64url(32));
    multipart(Category.MULTIPART_FILE, "upload", "id_rsa", "application/octet-stream",
        "-----BEGIN OPENSSH PRIVATE KEY-----\r\n" + base64(64) + "\r\n-----END OPENSSH PRIVATE KEY-----");
    multipart(Category.MULTIPART_FILE, "document", "notes.txt", "text/plain", "wifi " + password());

    String jwt = jwt();
    n = neighbour();
    add(Category.JWT_IN_BODY, Place.REQUEST_BODY, "text/plain", "token for " + n + ": " + jwt + ".",
        List.of(jwt, signature(jwt)), null, n);
    jwt = jwt();
    n = neighbour();
    add(Category.JWT_IN_BODY, Place.REQUEST_BODY, "application/json",
        "{\"note\":\"" + n + "\",\"data\":\"" + jwt + "\"}", List.of(jwt, signature(jwt)), null, n);
    jwt = jwt();
    n = neighbour();
    add(Category.JWT_IN_BODY, Place.REQUEST_BODY, "application/xml",
        "<login><user>" + n + "</user><assertion>" + jwt + "</assertion></login>", List.of(jwt, signature(jwt)),
        null, n);
    jwt = jwt();
    n = neighbour();
    add(Category.JWT_IN_BODY, Place.RESPONSE_BODY, "application/json",
        "{\"account\":{\"user\":\"" + n + "\"},\"id\":\"" + jwt + "\"}", List.of(jwt, signature(jwt)), null, n);

    // every network and length the rule knows, in the ways people write them
    Object[][] cards = {
        {'4', 16, " "}, {'4', 13, ""}, {'4', 19, "-"}, {"34", 15, " "}, {"37", 15, ""}, {"51", 16, "-"},
        {"55", 16, ""}, {"2221", 16, " "}, {"2720", 16, ""}, {"36", 14, ""}, {"35", 16, "-"}, {"6011", 16, " "},
        {"62", 19, ""}, {"50", 18, ""},
    };
    String[] formats = {
        "{\"pan\":\"%s\",\"order\":\"%s\"}", "{\"number\":%s,\"order\":\"%s\"}", "charge card %s for order %s",
        "<card><number>%s</number><order>%s</order></card>",
    };
    String[] types = {"application/json", "application/json", "text/plain", "application/xml"};
    for (int i = 0; i < cards.length; i++) {
      String prefix = String.valueOf(cards[i][0]);
      String digits = card(prefix, (Integer) cards[i][1]);
      String sep = (String) cards[i][2];
      int f = i % formats.length;
      String written = sep.isEmpty() || f == 1 ? digits : group(digits, sep);
      n = neighbour();
      add(Category.CARD_IN_BODY, i % 5 == 4 ? Place.RESPONSE_BODY : Place.REQUEST_BODY, types[f],
          String.format(formats[f], written, n), List.of(written, digits), null, n);
    }
    String formCard = card('4', 16);
    n = neighbour();
    add(Category.CARD_IN_BODY, Place.REQUEST_BODY, "application/x-www-form-urlencoded",
        "card=" + group(formCard, "+") + "&order=" + n, List.of(group(formCard, "+"), formCard), null, n);
  }

  private void json(String body, String... secretsThenNeighbour) {
    int last = secretsThenNeighbour.length - 1;
    add(Category.JSON_FIELD, Place.REQUEST_BODY, "application/json", body,
        List.of(secretsThenNeighbour).subList(0, last), null, secretsThenNeighbour[last]);
  }

  private void form(String body, String secret, String neighbour) {
    add(Category.FORM_FIELD, Place.REQUEST_BODY, "application/x-www-form-urlencoded", body, List.of(secret), null,
        neighbour);
  }

  private void multipart(Category category, String part, String filename, String type, String secret) {
    String boundary = "----corpus" + hex(16);
    String n = neighbour();
    String disposition = "Content-Disposition: form-data; name=\"" + part + "\""
        + (filename == null ? "" : "; filename=\"" + filename + "\"");
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n" + n + "\r\n"
        + "--" + boundary + "\r\n" + disposition + "\r\n" + (type == null ? "" : "Content-Type: " + type + "\r\n")
        + "\r\n" + secret + "\r\n--" + boundary + "--\r\n";
    add(category, Place.REQUEST_BODY, "multipart/form-data; boundary=" + boundary, body, List.of(secret), null, n);
  }

  // --- log lines and exceptions ---------------------------------------------------------------

  private void logsAndExceptions() {
    String[] levels = {"DEBUG", "INFO", "WARN", "ERROR", "TRACE"};
    for (int i = 0; i < 5; i++) {
      String jwt = jwt();
      String n = neighbour();
      add(Category.JWT_IN_LOG, Place.LOG_MESSAGE, levels[i], "verified " + n + " with token " + jwt,
          List.of(jwt, signature(jwt)), null, n);
      String digits = card(i % 2 == 0 ? "4" : "51", 16);
      String written = i % 3 == 0 ? digits : group(digits, i % 3 == 1 ? " " : "-");
      n = neighbour();
      add(Category.CARD_IN_LOG, Place.LOG_MESSAGE, levels[i], "charging " + written + " for " + n,
          List.of(written, digits), null, n);
    }
    String[] roles = {"thrown", "cause", "logged"};
    for (String role : roles) {
      String jwt = jwt();
      String n = neighbour();
      add(Category.JWT_IN_EXCEPTION, Place.EXCEPTION_MESSAGE, role, "token rejected for " + n + ": " + jwt,
          List.of(jwt, signature(jwt)), null, n);
      String digits = card("37", 15);
      String written = group(digits, " ");
      n = neighbour();
      add(Category.CARD_IN_EXCEPTION, Place.EXCEPTION_MESSAGE, role, "card " + written + " declined for " + n,
          List.of(written, digits), null, n);
    }
  }

  // --- values ---------------------------------------------------------------------------------

  private void add(Category category, Place place, String name, String value, List<String> secrets) {
    add(category, place, name, value, secrets, "X-Corpus-Neighbour", neighbour());
  }

  private void add(Category category, Place place, String name, String value, List<String> secrets,
      String neighbourName, String neighbour) {
    String id = String.format("%s-%02d", category.name().toLowerCase(), entries.stream()
        .filter(e -> e.category() == category).count() + 1);
    if (place == Place.QUERY) {
      neighbourName = "corpus_note";
    }
    entries.add(new Entry(id, category, place, name, value, secrets.stream().distinct().toList(), neighbourName,
        neighbour));
  }

  private String neighbour() {
    return "nb" + hex(12);
  }

  private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private String base64url(int n) {
    return chars(BASE64URL, n);
  }

  private String base64(int n) {
    return chars(BASE64URL.substring(0, 62) + "+/", n);
  }

  private String hex(int n) {
    return chars("0123456789abcdef", n);
  }

  private String upperAlnum(int n) {
    return chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", n);
  }

  private String password() {
    return "Pw!" + chars("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789#%", 14);
  }

  private String chars(String alphabet, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A signed JWT of made-up claims; the signature is random bytes, not an HMAC of anything. */
  private String jwt() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = "{\"sub\":\"user-" + hex(6) + "\",\"jti\":\"" + hex(16) + "\",\"exp\":1796256000}";
    byte[] signature = new byte[32];
    random.nextBytes(signature);
    return header + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(signature);
  }

  public static String signature(String jwt) {
    return jwt.substring(jwt.lastIndexOf('.') + 1);
  }

  private String card(char first, int length) {
    return card(String.valueOf(first), length);
  }

  /** A number of {@code length} digits starting with {@code prefix}, its last digit Luhn's check digit. */
  private String card(String prefix, int length) {
    StringBuilder b = new StringBuilder(prefix);
    while (b.length() < length - 1) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    int sum = 0;
    for (int i = b.length() - 1, position = 0; i >= 0; i--, position++) {
      int d = b.charAt(i) - '0';
      if (position % 2 == 0) { // doubled: the check digit to come will be position 0
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return b.append((char) ('0' + (10 - sum % 10) % 10)).toString();
  }

  /** Digits in groups of four (American Express: 4-6-5), split by {@code separator}. */
  public static String group(String digits, String separator) {
    int[] sizes = digits.length() == 15 ? new int[] {4, 6, 5} : null;
    StringBuilder b = new StringBuilder();
    int at = 0;
    for (int g = 0; at < digits.length(); g++) {
      int size = sizes != null ? sizes[g] : 4;
      if (at > 0) {
        b.append(separator);
      }
      b.append(digits, at, Math.min(at + size, digits.length()));
      at += size;
    }
    return b.toString();
  }

  /** Whether {@code digits} pass the Luhn check, for tests of this corpus. */
  public static boolean luhn(String digits) {
    int sum = 0;
    for (int i = digits.length() - 1, position = 0; i >= 0; i--, position++) {
      int d = digits.charAt(i) - '0';
      if (position % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum % 10 == 0;
  }
}
