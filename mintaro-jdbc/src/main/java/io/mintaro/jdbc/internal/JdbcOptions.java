package io.mintaro.jdbc.internal;

import io.mintaro.Mintaro;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** What a wrapped data source or driver records besides the defaults. Immutable. */
public final class JdbcOptions {
  /** The words core's {@code redactFields} always masks; values of matching columns are never kept. */
  public static final List<String> DEFAULT_SECRET_WORDS = List.of("password", "token", "secret");
  public static final int DEFAULT_MAX_PARAMETER_LENGTH = 256;

  public final boolean triggerOnError;
  public final boolean captureParameters;
  public final int maxParameterLength;
  /** Lower case; a column or parameter whose name contains one of them is redacted. */
  final String[] secretWords;

  public JdbcOptions(boolean triggerOnError, boolean captureParameters, int maxParameterLength,
      Set<String> secretWords) {
    this.triggerOnError = triggerOnError;
    this.captureParameters = captureParameters;
    this.maxParameterLength = maxParameterLength;
    this.secretWords = secretWords.toArray(new String[0]);
  }

  /** The options of the environment, read once per process. */
  public static JdbcOptions environment() {
    return FromEnvironment.OPTIONS;
  }

  private static final class FromEnvironment {
    static final JdbcOptions OPTIONS = read(System::getProperty, System::getenv);
  }

  /**
   * {@code MINTARO_JDBC_TRIGGER_ON_ERROR}, {@code MINTARO_JDBC_CAPTURE_PARAMETERS} and
   * {@code MINTARO_REDACT_FIELDS} (the words core masks too), or their {@code mintaro.*} system
   * properties, which win, as in core. A value that does not parse is reported once and ignored:
   * this runs when a connection is first made, where nothing may throw.
   */
  static JdbcOptions read(Function<String, String> properties, Function<String, String> variables) {
    Set<String> words = new LinkedHashSet<>(DEFAULT_SECRET_WORDS);
    String extra = get(properties, variables, "REDACT_FIELDS");
    if (extra != null) {
      for (String w : extra.split(",")) {
        if (!w.isBlank()) {
          words.add(w.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return new JdbcOptions(flag(properties, variables, "JDBC_TRIGGER_ON_ERROR"),
        flag(properties, variables, "JDBC_CAPTURE_PARAMETERS"), DEFAULT_MAX_PARAMETER_LENGTH, words);
  }

  private static boolean flag(Function<String, String> properties, Function<String, String> variables, String key) {
    String v = get(properties, variables, key);
    if (v == null) {
      return false;
    }
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
      case "on":
        return true;
      case "false":
      case "0":
      case "no":
      case "off":
        return false;
      default:
        System.getLogger("io.mintaro.jdbc").log(System.Logger.Level.WARNING,
            "MINTARO_" + key + " must be true or false, got: " + v + "; using false");
        return false;
    }
  }

  /** As core reads settings: the system property {@code mintaro.x.y}, then {@code MINTARO_X_Y}. */
  private static String get(Function<String, String> properties, Function<String, String> variables, String key) {
    String property = properties.apply("mintaro." + key.toLowerCase(Locale.ROOT).replace('_', '.'));
    if (property != null && !property.isBlank()) {
      return property;
    }
    String variable = variables.apply("MINTARO_" + key);
    return variable == null || variable.isBlank() ? null : variable;
  }

  public List<String> secretWords() {
    return List.of(secretWords);
  }

  /**
   * True when {@code name} contains a secret word, ignoring case: one of this data source's, or
   * one the global SDK redacts fields by ({@code redactFields}, however it was configured).
   */
  public boolean isSecret(String name) {
    if (name == null) {
      return false;
    }
    for (String w : secretWords) {
      if (containsIgnoreCase(name, w)) {
        return true;
      }
    }
    try {
      return Mintaro.sdk().redactsField(name);
    } catch (RuntimeException e) {
      return true; // when in doubt, keep no value
    }
  }

  private static boolean containsIgnoreCase(String s, String lowerWord) {
    int max = s.length() - lowerWord.length();
    for (int i = 0; i <= max; i++) {
      if (s.regionMatches(true, i, lowerWord, 0, lowerWord.length())) {
        return true;
      }
    }
    return false;
  }

  /** A copy with other values, for the data source builder. */
  public JdbcOptions with(boolean triggerOnError, boolean captureParameters, int maxParameterLength,
      List<String> moreSecretWords) {
    Set<String> words = new LinkedHashSet<>(List.of(secretWords));
    List<String> lower = new ArrayList<>();
    for (String w : moreSecretWords) {
      lower.add(w.toLowerCase(Locale.ROOT));
    }
    words.addAll(lower);
    return new JdbcOptions(triggerOnError, captureParameters, maxParameterLength, words);
  }
}
