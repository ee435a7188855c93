package io.mintaro.internal.redaction;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Removes secrets before anything is recorded: sensitive headers, and sensitive fields in JSON
 * bodies, form bodies and URL query strings. A field is sensitive when its name contains a
 * configured word, ignoring case ({@code newPassword}, {@code access_token}); a header when its
 * name is configured or contains such a word ({@code X-Request-Token}). A query parameter whose
 * value is a JWT is masked whatever its name. Multipart parts are masked whole when their name is
 * sensitive or they are a file. JWTs and card numbers are masked by value ({@link ValuePatterns})
 * in every body, URL and header value. Over-redacting a harmless field is the cheaper mistake.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";
  /** The headers masked by default (docs/redaction.md). */
  public static final List<String> DEFAULT_HEADERS = List.of("authorization", "cookie", "set-cookie",
      "proxy-authorization", "x-api-key", "x-auth-token", "ocp-apim-subscription-key");
  /**
   * The field words of the default, after Sentry's default scrubbing. Each one costs a little on
   * every body; the shortest ({@code auth}) sets the scan's step (see {@link #inner}).
   */
  public static final List<String> DEFAULT_FIELDS = List.of("password", "passwd", "secret", "token", "api_key",
      "apikey", "api-key", "auth", "credential", "private_key", "privatekey", "session", "signature", "cookie");
  /**
   * Query and form parameters masked by their exact name (ignoring case): names too short to be
   * words, which would match inside ordinary names: {@code sig} of Azure SAS and signed URLs,
   * {@code key} of Google's API keys.
   */
  public static final List<String> DEFAULT_EXACT_PARAMETERS = List.of("sig", "key");
  /**
   * Authorization schemes: a value of any header that starts with one of these and a space is
   * masked after the scheme's name, even when the header's name is not sensitive.
   */
  static final List<String> SCHEMES = List.of("bearer", "basic", "digest", "aws4-hmac-sha256", "negotiate",
      "ntlm", "token", "apikey", "dpop", "hawk", "sharedkey", "oauth");
  private static final byte[] MASK_JSON = ("\"" + MASK + "\"").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MASK_FORM = "%5BREDACTED%5D".getBytes(StandardCharsets.US_ASCII);
  private static final VarHandle PAIR =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  /** Sensitive header names by length, as configured; most names are rejected by length alone. */
  private final String[][] headersByLength;
  private final String[] fields;
  /**
   * The pairs (either ASCII case) that start a field name. Both pair tables are indexed by the two
   * bytes read as one little-endian 16-bit value ({@link #pairAt}), one load per look.
   */
  private final long[] starts = new long[1024];
  /**
   * The pairs (either ASCII case) at offsets 0..step-1 of the names of two bytes or more. Such a
   * name is at least step + 1 bytes long, so one of those pairs starts at a multiple of step in
   * the body: the body is looked at every step bytes, not at every byte.
   */
  private final long[] inner = new long[1024];
  private final int step;
  /** Bytes (either ASCII case) that are a one-byte field name. */
  private final boolean[] singles = new boolean[256];
  private final boolean hasSingles;
  /** Sorted two-byte prefixes (lowercase) of the longer field names, and those names per prefix. */
  private final int[] prefixes;
  private final byte[][][] byPrefix;
  private final boolean emptyField;
  /** Whether JWTs and card numbers are masked by value; off only to measure what they cost. */
  private final boolean values;

  public Redactor(Collection<String> headers, Collection<String> fields) {
    this(headers, fields, true);
  }

  /** @param values whether {@link ValuePatterns} apply; false only to measure their cost */
  public Redactor(Collection<String> headers, Collection<String> fields, boolean values) {
    this.values = values;
    this.headersByLength = byLength(headers);
    this.fields = fields.stream().map(f -> f.toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new);
    boolean empty = false;
    boolean single = false;
    int shortest = Integer.MAX_VALUE;
    TreeMap<Integer, List<byte[]>> prefixed = new TreeMap<>();
    for (String field : this.fields) {
      byte[] f = field.getBytes(StandardCharsets.UTF_8);
      if (f.length == 0) {
        empty = true;
      } else if (f.length == 1) {
        single = true;
        for (int c : cases(f[0])) {
          singles[c] = true;
        }
      } else {
        shortest = Math.min(shortest, f.length);
        setPairs(starts, f[0], f[1]);
        prefixed.computeIfAbsent(pair(f[0], f[1]), k -> new ArrayList<>()).add(f);
      }
    }
    // any step up to shortest - 1 works; capped so that the scan index cannot overflow
    this.step = prefixed.isEmpty() ? 0 : Math.min(shortest - 1, 64);
    for (List<byte[]> names : prefixed.values()) {
      for (byte[] f : names) {
        for (int d = 0; d < step; d++) {
          setPairs(inner, f[d], f[d + 1]);
        }
      }
    }
    this.emptyField = empty;
    this.hasSingles = single;
    this.prefixes = prefixed.keySet().stream().mapToInt(Integer::intValue).toArray();
    this.byPrefix = prefixed.values().stream().map(l -> l.toArray(new byte[0][])).toArray(byte[][][]::new);
  }

  /**
   * Kept as configured, not lowercased: toLowerCase can change the length of a non-ASCII name, and
   * equalsIgnoreCase already matches the way the case-insensitive set this replaces did.
   */
  private static String[][] byLength(Collection<String> headers) {
    int max = -1;
    for (String h : headers) {
      max = Math.max(max, h.length());
    }
    String[][] byLength = new String[max + 1][];
    Arrays.fill(byLength, new String[0]);
    for (String h : headers) {
      String[] same = byLength[h.length()];
      if (Arrays.stream(same).noneMatch(h::equalsIgnoreCase)) {
        same = Arrays.copyOf(same, same.length + 1);
        same[same.length - 1] = h;
        byLength[h.length()] = same;
      }
    }
    return byLength;
  }

  /** The byte values that lowercase (ASCII only) to the lowercase byte {@code b}. */
  private static int[] cases(byte b) {
    int c = b & 0xFF;
    return c >= 'a' && c <= 'z' ? new int[] {c, c - 32} : new int[] {c};
  }

  /** Sets the pair of bytes {@code first, second} in all its ASCII case variants. */
  private static void setPairs(long[] bits, byte first, byte second) {
    for (int a : cases(first)) {
      for (int b : cases(second)) {
        int pair = b << 8 | a; // as pairAt reads it
        bits[pair >>> 6] |= 1L << pair;
      }
    }
  }

  /** The bytes at {@code i} and {@code i + 1} as one little-endian 16-bit value: one load. */
  private static int pairAt(byte[] b, int i) {
    return (char) (short) PAIR.get(b, i);
  }

  private static boolean has(long[] bits, int pair) {
    return (bits[pair >>> 6] & (1L << pair)) != 0;
  }

  private static int pair(byte hi, byte lo) {
    return lower(hi) << 8 | lower(lo);
  }

  /** The byte as 0..255 with ASCII letters lowercased, as they are in the field names. */
  private static int lower(byte b) {
    int c = b & 0xFF;
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  }

  public boolean isSensitiveHeader(String name) {
    if (name == null) {
      return false;
    }
    if (name.length() < headersByLength.length) {
      for (String h : headersByLength[name.length()]) {
        if (h.equalsIgnoreCase(name)) {
          return true;
        }
      }
    }
    // a header name is a token of ASCII; a non-ASCII character becomes '?', which no word holds
    byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    return !emptyField && mentionsField(bytes, bytes.length);
  }

  /**
   * The header value to record: masked when the name is sensitive; otherwise kept, but for an
   * authorization scheme's credentials and values that are JWTs or card numbers.
   */
  public String header(String name, String value) {
    if (isSensitiveHeader(name)) {
      return MASK;
    }
    if (value == null || !values) {
      return value;
    }
    String scheme = scheme(value);
    if (scheme != null) {
      return scheme + " " + MASK;
    }
    return ValuePatterns.mask(value);
  }

  /**
   * The scheme's name when {@code value} is {@code <scheme> <credentials>}, else null. Digest and
   * SigV4 credentials are {@code key=value} lists; the others one token of 8 characters or more,
   * so that a header such as {@code X-Plan: Basic tier} is kept.
   */
  private static String scheme(String value) {
    int space = value.indexOf(' ');
    if (space < 4 || space > 16 || space + 1 == value.length()) {
      return null;
    }
    for (String s : SCHEMES) {
      if (s.length() == space && value.regionMatches(true, 0, s, 0, space)) {
        boolean list = s.equals("digest") || s.equals("aws4-hmac-sha256");
        String rest = value.substring(space + 1).trim();
        boolean credentials = list ? rest.indexOf('=') > 0 : rest.length() >= 8 && rest.indexOf(' ') < 0;
        return credentials ? value.substring(0, space) : null;
      }
    }
    return null;
  }

  public boolean isSensitiveField(String name) {
    if (name == null) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (String f : fields) {
      if (lower.contains(f)) {
        return true;
      }
    }
    return false;
  }

  /** Masks the values of sensitive query parameters; the rest of the URL is kept as it is. */
  public String url(String url) {
    if (url == null) {
      return null;
    }
    url = withoutUserInfo(url);
    int q = url.indexOf('?');
    if (q >= 0) {
      // scan all the bytes: a query with non-ASCII characters has more bytes than characters
      byte[] query = url.substring(q + 1).getBytes(StandardCharsets.UTF_8);
      if (mentionsField(query, query.length) || mentionsJwt(query, query.length)
          || mentionsExactParameter(query, query.length)) {
        url = url.substring(0, q + 1) + new String(form(query, query.length), StandardCharsets.UTF_8);
      }
    }
    // then a card number or JWT anywhere else, the path included
    return values ? ValuePatterns.mask(url) : url;
  }

  private static boolean isExactParameter(String name) {
    for (String p : DEFAULT_EXACT_PARAMETERS) {
      if (p.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** True when a parameter of {@link #DEFAULT_EXACT_PARAMETERS} is in the query or form. */
  private static boolean mentionsExactParameter(byte[] b, int length) {
    for (String p : DEFAULT_EXACT_PARAMETERS) {
      int n = p.length();
      for (int i = 0; i + n < length; i++) {
        if ((i == 0 || b[i - 1] == '&') && b[i + n] == '=' && asciiEqualsIgnoreCase(b, i, p)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the {@code word.length()} bytes at {@code b[at]} are {@code word} (lower-case ASCII), in any case. */
  private static boolean asciiEqualsIgnoreCase(byte[] b, int at, String word) {
    for (int j = 0; j < word.length(); j++) {
      int c = b[at + j];
      if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != word.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** Masks the credentials of {@code scheme://user:password@host/...}. */
  private static String withoutUserInfo(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int start = scheme + 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    if (at < start) {
      return url;
    }
    return url.substring(0, start) + MASK + url.substring(at);
  }

  /**
   * Returns {@code body} with sensitive fields masked. JSON is recognised by content type or by
   * its first character, forms by content type. A body that names no sensitive field is returned
   * as it is, without copying. The input may be truncated; redaction then stops safely.
   */
  public byte[] body(byte[] body, int length, String contentType) {
    if (body == null || length == 0) {
      return body;
    }
    byte[] out = fields(body, length, contentType);
    if (!values) {
      return out;
    }
    int outLength = out == body ? length : out.length;
    // JWTs and card numbers in any body, whatever its type, after the fields are masked
    long found = ValuePatterns.find(out, 0, outLength);
    if (found < 0) {
      return out;
    }
    byte[] copy = out == body ? Arrays.copyOf(body, length) : out;
    int end = ValuePatterns.mask(copy, (int) (found >>> 32), outLength);
    return Arrays.copyOf(copy, end);
  }

  private byte[] fields(byte[] body, int length, String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("multipart/")) {
      byte[] boundary = Multipart.boundary(contentType);
      // file parts are masked whatever their names, so a multipart body is always looked at
      return boundary == null ? body : Multipart.redact(this, body, length, boundary);
    }
    if (!mentionsField(body, length) && !(type.contains("x-www-form-urlencoded")
        && mentionsExactParameter(body, length))) {
      return body;
    }
    if (type.contains("x-www-form-urlencoded")) {
      return form(body, length);
    }
    int first = 0;
    while (first < length && isSpace(body[first])) {
      first++;
    }
    if (type.contains("json") || (first < length && (body[first] == '{' || body[first] == '['))) {
      return json(body, length);
    }
    return body;
  }

  /** True when some field name occurs anywhere in the body, ignoring ASCII case. */
  private boolean mentionsField(byte[] b, int length) {
    if (emptyField) {
      return true;
    }
    if (hasSingles) {
      for (int i = 0; i < length; i++) {
        if (singles[b[i] & 0xFF]) {
          return true;
        }
      }
    }
    if (step == 0 || length < 2) {
      return false;
    }
    long[] inner = this.inner;
    for (int k = 0; k < length - 1; k += step) {
      if (has(inner, pairAt(b, k))) {
        // a name that holds this pair starts at most step - 1 bytes earlier
        for (int i = Math.max(0, k - step + 1); i <= k; i++) {
          if (has(starts, pairAt(b, i)) && matchAt(b, length, i)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** True when a name of two bytes or more starts at {@code i}, which is not the last byte. */
  private boolean matchAt(byte[] b, int length, int i) {
    int k = Arrays.binarySearch(prefixes, pair(b[i], b[i + 1]));
    if (k < 0) {
      return false;
    }
    outer:
    for (byte[] f : byPrefix[k]) {
      if (f.length > length - i) {
        continue;
      }
      for (int j = 2; j < f.length; j++) {
        if (lower(b[i + j]) != (f[j] & 0xFF)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private byte[] form(byte[] b, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 16);
    int start = 0;
    while (start <= length) {
      int end = start;
      while (end < length && b[end] != '&') {
        end++;
      }
      int eq = start;
      while (eq < end && b[eq] != '=') {
        eq++;
      }
      String name = new String(b, start, eq - start, StandardCharsets.UTF_8);
      if (eq < end && (isSensitiveField(name) || isExactParameter(name) || isJwt(b, eq + 1, end))) {
        out.write(b, start, eq + 1 - start);
        out.write(MASK_FORM, 0, MASK_FORM.length);
      } else {
        out.write(b, start, end - start);
      }
      if (end < length) {
        out.write('&');
      }
      start = end + 1;
    }
    return out.toByteArray();
  }

  /** True when some value may be a JWT: its header, base64url of <code>{"</code>, starts with "eyJ". */
  private static boolean mentionsJwt(byte[] b, int length) {
    for (int i = 0; i + 2 < length; i++) {
      if (b[i] == 'e' && b[i + 1] == 'y' && b[i + 2] == 'J') {
        return true;
      }
    }
    return false;
  }

  /** True when {@code b[from, to)} is three dot-separated base64url parts, the first a JSON header. */
  private static boolean isJwt(byte[] b, int from, int to) {
    if (to - from < 10 || b[from] != 'e' || b[from + 1] != 'y' || b[from + 2] != 'J') {
      return false;
    }
    int dots = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '.') {
        dots++;
      } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return dots == 2;
  }

  /** A small JSON tokenizer that copies everything but the values of sensitive keys. */
  private byte[] json(byte[] b, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 32);
    int i = 0;
    while (i < length) {
      byte c = b[i];
      if (c != '"') {
        out.write(c);
        i++;
        continue;
      }
      int end = skipString(b, i, length);
      out.write(b, i, end - i);
      if (end >= length || b[end - 1] != '"' || end - i < 2) {
        break; // truncated inside a string
      }
      int j = end;
      while (j < length && isSpace(b[j])) {
        j++;
      }
      if (j < length && b[j] == ':') {
        String key = new String(b, i + 1, end - i - 2, StandardCharsets.UTF_8);
        if (isSensitiveField(key)) {
          int v = j + 1;
          while (v < length && isSpace(b[v])) {
            v++;
          }
          out.write(b, end, v - end); // the colon and the white space around it, as they were
          out.write(MASK_JSON, 0, MASK_JSON.length);
          i = skipValue(b, v, length);
          continue;
        }
      }
      i = end;
    }
    return out.toByteArray();
  }

  /** Returns the index after the string starting at {@code i} (a quote), or {@code length}. */
  private static int skipString(byte[] b, int i, int length) {
    int j = i + 1;
    while (j < length) {
      if (b[j] == '\\') {
        j += 2;
      } else if (b[j] == '"') {
        return j + 1;
      } else {
        j++;
      }
    }
    return length;
  }

  private static int skipValue(byte[] b, int i, int length) {
    if (i >= length) {
      return length;
    }
    if (b[i] == '"') {
      return skipString(b, i, length);
    }
    if (b[i] == '{' || b[i] == '[') {
      int depth = 0;
      int j = i;
      while (j < length) {
        byte c = b[j];
        if (c == '"') {
          j = skipString(b, j, length);
          continue;
        }
        if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          depth--;
          if (depth == 0) {
            return j + 1;
          }
        }
        j++;
      }
      return length;
    }
    int j = i;
    while (j < length && b[j] != ',' && b[j] != '}' && b[j] != ']' && !isSpace(b[j])) {
      j++;
    }
    return j;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }
}
