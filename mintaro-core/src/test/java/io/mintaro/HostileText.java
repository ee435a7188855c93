package io.mintaro;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile text for the property tests of parsers: random text biased towards the
 * characters that trip parsers, and valid values damaged by a few edits, so that a property sees
 * both garbage and the near misses that reach deep into a parser.
 */
public final class HostileText {
  /**
   * Separators and hex digits of the formats parsed, whitespace that is optional whitespace and
   * whitespace that is not, line breaks, NUL and DEL, non-ASCII digits and letters that a lax
   * parser takes for ASCII ones (Arabic-Indic four, fullwidth seven, the Kelvin sign), a
   * surrogate pair and a lone surrogate, and JSON and URL syntax.
   */
  public static final String TRICKY = "0123456789abcdefABCDEF-_=,;:@/*.?! \t\r\n\u000b\f\u0000\u007f\u0085\u00a0"
      + "\u00e9\u0664\uff17\u212a\u2028\ud83d\ude00\ud800\\\"'{}[]%+&#xyzXYZ";

  private HostileText() {}

  /** Text of up to {@code maxLength} characters: mostly {@link #TRICKY} ones, some of any kind. */
  public static Arbitrary<String> anyText(int maxLength) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().withChars(TRICKY).ofMaxLength(maxLength)),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(maxLength)),
        Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(maxLength)));
  }

  /** {@code valid} values after one to four random edits: near misses of the format. */
  public static Arbitrary<String> mutationsOf(Arbitrary<String> valid) {
    Arbitrary<Edit> edit = Combinators.combine(
        Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(0, 100_000),
        Arbitraries.oneOf(Arbitraries.of(TRICKY.toCharArray()), Arbitraries.chars()),
        Arbitraries.integers().between(1, 64)).as(Edit::new);
    return Combinators.combine(valid, edit.list().ofMinSize(1).ofMaxSize(4)).as(HostileText::apply);
  }

  /** Valid values and near misses of them, half and half. */
  public static Arbitrary<String> validOrNearMiss(Arbitrary<String> valid) {
    return Arbitraries.oneOf(valid, mutationsOf(valid));
  }

  /** {@code valid} values padded past {@code limit} characters with more of the same, or with {@code pad}. */
  public static Arbitrary<String> oversized(Arbitrary<String> valid, int limit, String pad) {
    return Combinators.combine(valid, Arbitraries.integers().between(1, 3 * limit)).as((v, extra) -> {
      StringBuilder b = new StringBuilder(v);
      while (b.length() <= limit + extra) {
        b.append(pad);
      }
      return b.toString();
    });
  }

  /** One edit: insert, delete, replace, duplicate a slice, cut the end, or swap two characters. */
  record Edit(int kind, int at, char c, int length) {}

  static String apply(String value, List<Edit> edits) {
    StringBuilder b = new StringBuilder(value);
    for (Edit e : edits) {
      int at = b.length() == 0 ? 0 : e.at() % b.length();
      switch (e.kind()) {
        case 0 -> b.insert(e.at() % (b.length() + 1), e.c());
        case 1 -> {
          if (b.length() > 0) {
            b.delete(at, Math.min(b.length(), at + e.length() % 4 + 1));
          }
        }
        case 2 -> {
          if (b.length() > 0) {
            b.setCharAt(at, e.c());
          }
        }
        case 3 -> b.insert(at, b.substring(at, Math.min(b.length(), at + e.length())));
        case 4 -> b.setLength(at);
        default -> {
          if (b.length() > 1) {
            int other = (at + e.length()) % b.length();
            char t = b.charAt(at);
            b.setCharAt(at, b.charAt(other));
            b.setCharAt(other, t);
          }
        }
      }
    }
    return b.toString();
  }
}
