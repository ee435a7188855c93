package io.mintaro.internal.redaction;

import java.nio.charset.StandardCharsets;

/**
 * Secrets recognised by their value, wherever they are: JWTs and payment card numbers in bodies,
 * log messages, exception messages and stack traces. Both are ASCII, so text is scanned as its
 * UTF-8 bytes.
 *
 * <p>The scan looks at every third byte only: a JWT starts with {@code eyJ} (three bytes, so one
 * of them is looked at) and a card number is thirteen digits or more (so four of its digits are).
 * A looked-at {@code e}, {@code y} or {@code J} costs two byte compares; a digit, a counter,
 * until four are seen in a row; only then is the run of digits around it measured and checked.
 *
 * <p>A card number is 13 to 19 digits, possibly in groups split by single spaces, dashes or
 * {@code +} (a form-encoded space), that pass the Luhn check and start like a card of a known
 * network at a length that network issues (see {@link #isCardNumber}). Epoch timestamps in ms, µs
 * or ns start with 1 and are never taken for cards; a random 13–19 digit id that starts with 2–6
 * passes about one time in ten for the lengths allowed, and is masked: the cheaper mistake.
 */
public final class ValuePatterns {
  /** What replaces a value found; shorter than the shortest value found, so masking never grows text. */
  static final byte[] MASK = Redactor.MASK.getBytes(StandardCharsets.US_ASCII);
  static final int STEP = 3;
  private static final int MIN_JWT = 16;
  private static final int MIN_DIGITS = 13;
  private static final int MAX_DIGITS = 19;

  private static final byte JWT_LETTER = 1;
  private static final byte DIGIT = 2;
  private static final byte[] CLASS = new byte[256];
  private static final boolean[] BASE64URL = new boolean[256];

  static {
    CLASS['e'] = JWT_LETTER;
    CLASS['y'] = JWT_LETTER;
    CLASS['J'] = JWT_LETTER;
    for (int c = '0'; c <= '9'; c++) {
      CLASS[c] = DIGIT;
      BASE64URL[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      BASE64URL[c] = true;
      BASE64URL[c - 32] = true;
    }
    BASE64URL['-'] = true;
    BASE64URL['_'] = true;
  }

  private ValuePatterns() {}

  /**
   * The first secret value in {@code b[from, to)} as {@code start << 32 | end}, or -1. Allocates
   * nothing.
   */
  public static long find(byte[] b, int from, int to) {
    // digits looked at in a row, separators not counting either way: a card number of 13 digits
    // or more gets four, so the run around a digit is only measured once the fourth is seen
    int digits = 0;
    for (int k = from; k < to; k += STEP) {
      int c = b[k] & 0xFF;
      byte kind = CLASS[c];
      if (kind == 0) {
        if (!isSeparator(c)) {
          digits = 0;
        }
        continue;
      }
      if (kind == DIGIT) {
        if (++digits < 4) {
          continue;
        }
        long card = card(b, from, to, k);
        if (card >= 0) {
          return card;
        }
        // the digits around k were no card: go on right after them
        k = (int) -(card + 2) - STEP;
        digits = 0;
        continue;
      }
      digits = 0;
      // no word boundary is asked for before it: URL-encoded JSON puts "%22" right before it
      int i = c == 'e' ? k : c == 'y' ? k - 1 : k - 2;
      if (i >= from && i + 2 < to && b[i] == 'e' && b[i + 1] == 'y' && b[i + 2] == 'J') {
        int end = jwtEnd(b, i, to);
        if (end > 0) {
          return (long) i << 32 | end;
        }
      }
    }
    return -1;
  }

  /** True when {@code b[from, to)} holds a JWT or a card number. */
  public static boolean mentions(byte[] b, int from, int to) {
    return find(b, from, to) >= 0;
  }

  /**
   * Masks every secret value of {@code b[from, to)} in place and returns the new end; the bytes
   * after it up to {@code to} are left as they were. Each mask is shorter than what it replaces,
   * so what is written never overtakes what is still to be read.
   */
  public static int mask(byte[] b, int from, int to) {
    long found = find(b, from, to);
    if (found < 0) {
      return to;
    }
    int write = from;
    int read = from;
    while (found >= 0) {
      int start = (int) (found >>> 32);
      int end = (int) found;
      System.arraycopy(b, read, b, write, start - read);
      write += start - read;
      System.arraycopy(MASK, 0, b, write, MASK.length);
      write += MASK.length;
      read = end;
      found = find(b, read, to);
    }
    System.arraycopy(b, read, b, write, to - read);
    return write + to - read;
  }

  /** {@code text} with its secret values masked; the same String when it holds none. */
  public static String mask(String text) {
    if (text == null || !mayHoldValue(text)) {
      return text;
    }
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    int end = mask(b, 0, b.length);
    return end == b.length ? text : new String(b, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * A quick look at the characters, for short strings (header values, trigger reasons) that are
   * not worth encoding: {@code eyJ}, or thirteen digits with at most single separators between.
   */
  static boolean mayHoldValue(CharSequence s) {
    int digits = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits >= MIN_DIGITS) {
          return true;
        }
      } else if (!isSeparator(c) || i == 0 || !isDigit(s.charAt(i - 1))) {
        digits = 0;
        if (c == 'e' && i + 2 < n && s.charAt(i + 1) == 'y' && s.charAt(i + 2) == 'J') {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSeparator(int c) {
    return c == ' ' || c == '-' || c == '+';
  }

  /**
   * The end of the JWT starting at {@code i} (on {@code eyJ}), or -1: base64url parts split by
   * two dots (a signed JWT) or four (an encrypted one), the first part at least the header's
   * shortest form. The last part may be empty (an unsecured JWT).
   */
  private static int jwtEnd(byte[] b, int i, int to) {
    int dots = 0;
    int partStart = i;
    int j = i;
    for (; j < to; j++) {
      int c = b[j] & 0xFF;
      if (c == '.') {
        if (j == partStart) {
          return -1; // an empty part before the last
        }
        dots++;
        partStart = j + 1;
      } else if (!BASE64URL[c]) {
        break;
      }
    }
    // a sentence's full stop right after the token is not a part
    if (j > i && b[j - 1] == '.' && (dots == 3 || dots == 5)) {
      dots--;
      j--;
    }
    return (dots == 2 || dots == 4) && j - i >= MIN_JWT ? j : -1;
  }

  /**
   * Looks at the run of digits and single separators around the digit at {@code k}: returns the
   * card number in it as {@code start << 32 | end}; else {@code -(runEnd + 2)} (below -1), so that
   * the scan goes on after the run.
   */
  private static long card(byte[] b, int from, int to, int k) {
    int start = k;
    while (start > from && (isDigit(b[start - 1])
        || start - 1 > from && isSeparator(b[start - 1]) && isDigit(b[start - 2]))) {
      start--;
    }
    int end = k + 1;
    while (end < to && (isDigit(b[end]) || end + 1 < to && isSeparator(b[end]) && isDigit(b[end + 1]))) {
      end++;
    }
    // every window of whole groups, so that two numbers split by a space are both seen
    for (int s = start; s < end; s = nextGroup(b, s, end)) {
      int digits = 0;
      for (int e = s; e < end && digits <= MAX_DIGITS; e++) {
        if (isDigit(b[e])) {
          digits++;
          boolean groupEnds = e + 1 == end || !isDigit(b[e + 1]);
          if (groupEnds && digits >= MIN_DIGITS && digits <= MAX_DIGITS && isCardNumber(b, s, e + 1, digits)) {
            return (long) s << 32 | (e + 1);
          }
        }
      }
    }
    return -(end + 2L);
  }

  /** The start of the group after the one at {@code s}. */
  private static int nextGroup(byte[] b, int s, int end) {
    int i = s;
    while (i < end && isDigit(b[i])) {
      i++;
    }
    return i + 1; // past the separator
  }

  /**
   * Luhn, and a prefix and length that a card network issues: Visa 4 (13, 16, 19), American Express
   * 34/37 (15), Mastercard 51–55 and 2221–2720 (16), Diners 30/36/38/39 (14–19), JCB 35 (16–19),
   * Discover, UnionPay and Maestro 6 (16–19), Maestro 50/56–59 (13–19).
   */
  static boolean isCardNumber(byte[] b, int from, int to, int digits) {
    int prefix = 0;
    int seen = 0;
    int sum = 0;
    int position = 0; // from the right
    for (int i = to - 1; i >= from; i--) {
      if (!isDigit(b[i])) {
        continue;
      }
      int d = b[i] - '0';
      if ((position++ & 1) == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    if (sum % 10 != 0) {
      return false;
    }
    for (int i = from; i < to && seen < 4; i++) {
      if (isDigit(b[i])) {
        prefix = prefix * 10 + (b[i] - '0');
        seen++;
      }
    }
    int two = prefix / 100;
    switch (prefix / 1000) {
      case 4:
        return digits == 13 || digits == 16 || digits == 19;
      case 3:
        if (two == 34 || two == 37) {
          return digits == 15;
        }
        if (two == 35) {
          return digits >= 16;
        }
        return (two == 30 || two == 36 || two == 38 || two == 39) && digits >= 14;
      case 5:
        if (two >= 51 && two <= 55) {
          return digits == 16;
        }
        return two == 50 || two >= 56;
      case 2:
        return prefix >= 2221 && prefix <= 2720 && digits == 16;
      case 6:
        return digits >= 16;
      default:
        return false;
    }
  }
}
