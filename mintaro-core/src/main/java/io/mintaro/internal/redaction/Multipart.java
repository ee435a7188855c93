package io.mintaro.internal.redaction;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Redaction of {@code multipart/*} bodies (RFC 7578 forms): a part is masked whole when its name
 * holds a field word or it is a file ({@code filename=}); a file is the user's document, may be
 * anything (a key, a scan, an archive that no scan can read) and is seldom what a debugging
 * session needs. Other parts keep their headers and have their content redacted as a body of
 * their own content type. A body cut inside a part is handled like a part that ends there.
 */
final class Multipart {
  private static final byte[] CRLF2 = {'\r', '\n', '\r', '\n'};

  private Multipart() {}

  /** The {@code boundary} parameter of a multipart content type, or null. */
  static byte[] boundary(String contentType) {
    String lower = contentType.toLowerCase(Locale.ROOT);
    int at = lower.indexOf("boundary=");
    if (at < 0) {
      return null;
    }
    String b = contentType.substring(at + "boundary=".length()).trim();
    if (b.startsWith("\"")) {
      int close = b.indexOf('"', 1);
      b = close < 0 ? b.substring(1) : b.substring(1, close);
    } else {
      int semi = b.indexOf(';');
      b = semi < 0 ? b : b.substring(0, semi).trim();
    }
    return b.isEmpty() ? null : ("--" + b).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * @param delimiter {@code --} and the boundary
   */
  static byte[] redact(Redactor redactor, byte[] b, int length, byte[] delimiter) {
    int first = indexOf(b, 0, length, delimiter);
    if (first < 0) {
      return b; // not the multipart it says it is: the value patterns still apply
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 32);
    // the preamble, and each part from its delimiter to the next one
    out.write(b, 0, first);
    int at = first;
    boolean changed = false;
    while (at < length) {
      int headersEnd = indexOf(b, at, length, CRLF2);
      int contentStart = headersEnd < 0 ? length : headersEnd + CRLF2.length;
      int next = nextDelimiter(b, contentStart, length, delimiter);
      int contentEnd = next < 0 ? length : next;
      out.write(b, at, contentStart - at);
      if (contentStart < contentEnd) {
        String headers = new String(b, at, contentStart - at, StandardCharsets.UTF_8);
        if (isSecret(redactor, headers)) {
          out.write(ValuePatterns.MASK, 0, ValuePatterns.MASK.length);
          changed = true;
        } else {
          byte[] content = Arrays.copyOfRange(b, contentStart, contentEnd);
          byte[] redacted = redactor.body(content, content.length, header(headers, "content-type"));
          changed |= redacted != content;
          out.write(redacted, 0, redacted.length);
        }
      }
      if (next < 0) {
        break;
      }
      at = next;
    }
    return changed ? out.toByteArray() : b;
  }

  /** Whether the part with these headers is masked whole. */
  private static boolean isSecret(Redactor redactor, String headers) {
    String disposition = header(headers, "content-disposition");
    if (disposition == null) {
      return false;
    }
    String lower = disposition.toLowerCase(Locale.ROOT);
    if (lower.contains("filename")) {
      return true;
    }
    String name = parameter(disposition, lower, "name=");
    return name != null && redactor.isSensitiveField(name);
  }

  /** The value of a part header, or null. */
  private static String header(String headers, String name) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static String parameter(String value, String lower, String key) {
    int at = 0;
    while ((at = lower.indexOf(key, at)) >= 0) {
      // "name=" and not the end of "filename=" or "xname="
      if (at == 0 || lower.charAt(at - 1) == ' ' || lower.charAt(at - 1) == ';') {
        String v = value.substring(at + key.length()).trim();
        if (v.startsWith("\"")) {
          int close = v.indexOf('"', 1);
          return close < 0 ? v.substring(1) : v.substring(1, close);
        }
        int semi = v.indexOf(';');
        return semi < 0 ? v : v.substring(0, semi).trim();
      }
      at += key.length();
    }
    return null;
  }

  /** The CRLF before the next delimiter at or after {@code from}, or -1. */
  private static int nextDelimiter(byte[] b, int from, int length, byte[] delimiter) {
    int at = from;
    while ((at = indexOf(b, at, length, delimiter)) >= 0) {
      if (at >= 2 && b[at - 2] == '\r' && b[at - 1] == '\n') {
        return at - 2;
      }
      at++;
    }
    return -1;
  }

  private static int indexOf(byte[] b, int from, int length, byte[] what) {
    outer:
    for (int i = from; i + what.length <= length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (b[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
