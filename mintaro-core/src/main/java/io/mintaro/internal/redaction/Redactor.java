package io.mintaro.internal.redaction;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Removes secrets before anything is recorded: sensitive headers by name, and sensitive fields
 * in JSON bodies, form bodies and URL query strings. A field is sensitive when its name contains
 * a configured word, ignoring case ({@code newPassword}, {@code access_token}). Over-redacting a
 * harmless field is the cheaper mistake.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";
  private static final byte[] MASK_JSON = ("\"" + MASK + "\"").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MASK_FORM = "%5BREDACTED%5D".getBytes(StandardCharsets.US_ASCII);

  private final Set<String> headers;
  private final String[] fields;
  private final byte[][] fieldBytes;
  /** Bytes (either ASCII case) that start some field name; a body is scanned once against them. */
  private final boolean[] firstBytes = new boolean[256];
  private final boolean emptyField;

  public Redactor(Collection<String> headers, Collection<String> fields) {
    this.headers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    this.headers.addAll(headers);
    this.fields = fields.stream().map(f -> f.toLowerCase(Locale.ROOT)).distinct().toArray(String[]::new);
    this.fieldBytes = new byte[this.fields.length][];
    for (int i = 0; i < this.fields.length; i++) {
      fieldBytes[i] = this.fields[i].getBytes(StandardCharsets.UTF_8);
    }
    boolean empty = false;
    for (byte[] f : fieldBytes) {
      if (f.length == 0) {
        empty = true;
        continue;
      }
      firstBytes[f[0] & 0xFF] = true;
      if (f[0] >= 'a' && f[0] <= 'z') {
        firstBytes[(f[0] - 32) & 0xFF] = true;
      }
    }
    this.emptyField = empty;
  }

  public boolean isSensitiveHeader(String name) {
    return name != null && headers.contains(name);
  }

  /** The header value to record. */
  public String header(String name, String value) {
    return isSensitiveHeader(name) ? MASK : value;
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
    if (q < 0) {
      return url;
    }
    // scan all the bytes: a query with non-ASCII characters has more bytes than characters
    byte[] query = url.substring(q + 1).getBytes(StandardCharsets.UTF_8);
    if (!mentionsField(query, query.length)) {
      return url;
    }
    return url.substring(0, q + 1) + new String(form(query, query.length), StandardCharsets.UTF_8);
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
    if (body == null || length == 0 || !mentionsField(body, length)) {
      return body;
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
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

  /**
   * True when some field name occurs anywhere in the body, ignoring ASCII case: one pass over the
   * body, looking at the field names only where a byte can start one.
   */
  private boolean mentionsField(byte[] b, int length) {
    return emptyField || matchFrom(b, length, 0, length);
  }

  /** True when a field name starts at a position in [from, to). */
  private boolean matchFrom(byte[] b, int length, int from, int to) {
    boolean[] first = firstBytes;
    for (int i = from; i < to; i++) {
      if (!first[b[i] & 0xFF]) {
        continue;
      }
      outer:
      for (byte[] f : fieldBytes) {
        if (i + f.length > length) {
          continue;
        }
        for (int j = 0; j < f.length; j++) {
          int c = b[i + j];
          if (c >= 'A' && c <= 'Z') {
            c += 32;
          }
          if (c != f[j]) {
            continue outer;
          }
        }
        return true;
      }
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
      if (eq < end && isSensitiveField(name)) {
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
