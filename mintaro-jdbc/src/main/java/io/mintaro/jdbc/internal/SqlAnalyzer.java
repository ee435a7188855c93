package io.mintaro.jdbc.internal;

import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a SQL text once, as a small lexer: strings, quoted identifiers, comments, numbers and
 * placeholders are told apart character by character, so a quote inside a comment or a
 * {@code --} inside a string cannot confuse it. From the tokens it derives the normalised text
 * (every literal becomes {@code ?}), the operation, the first table, and the column each
 * {@code ?} is compared with (for redacting bind values). An unterminated string or comment
 * swallows the rest of the text: nothing after it is recorded.
 */
public final class SqlAnalyzer {
  static final byte WORD = 1;
  static final byte QUOTED = 2;
  static final byte STRING = 3;
  static final byte NUMBER = 4;
  static final byte PARAM = 5;
  static final byte OP = 6;

  /** After these words a {@code -} or {@code +} before a number is a sign, not an operator. */
  private static final String[] SIGN_AFTER = {
      "SELECT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "VALUES", "BY", "LIMIT",
      "OFFSET", "RETURN", "IN", "IS", "LIKE", "BETWEEN", "SET", "ON", "HAVING", "CASE", "DEFAULT",
      "TOP", "ESCAPE", "INTERVAL"};

  private final String s;
  private final Dialect dialect;
  private byte[] types = new byte[32];
  private int[] starts = new int[32];
  private int[] ends = new int[32];
  private boolean[] gaps = new boolean[32];
  private int[] depths = new int[32];
  private int count;

  private SqlAnalyzer(String s, Dialect dialect) {
    this.s = s;
    this.dialect = dialect;
  }

  /** Analyses {@code sql}; never throws. */
  public static Sql analyze(String sql, Dialect dialect) {
    if (sql == null || sql.isEmpty()) {
      return Sql.EMPTY;
    }
    SqlAnalyzer a = new SqlAnalyzer(sql, dialect == null ? Dialect.STANDARD : dialect);
    a.lex();
    return a.result();
  }

  /** Only the normalised text, for tests and callers that need nothing else. */
  public static String normalize(String sql, Dialect dialect) {
    return analyze(sql, dialect).text;
  }

  // ---------------------------------------------------------------------------------- lexing

  private void lex() {
    int n = s.length();
    int i = 0;
    int depth = 0;
    boolean gap = false;
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        gap = true;
        i++;
        continue;
      }
      if ((c == '-' && at(i + 1) == '-') || (c == '#' && dialect.hashComments)) {
        i = lineEnd(i);
        gap = true;
        continue;
      }
      if (c == '/' && at(i + 1) == '*') {
        i = blockCommentEnd(i);
        gap = true;
        continue;
      }
      int start = i;
      byte type;
      if (c == '\'') {
        i = quotedEnd(i, '\'', dialect.backslashEscapes);
        type = STRING;
      } else if (c == '"') {
        i = quotedEnd(i, '"', dialect.doubleQuotedStrings && dialect.backslashEscapes);
        type = dialect.doubleQuotedStrings ? STRING : QUOTED;
      } else if (c == '`') {
        i = quotedEnd(i, '`', false);
        type = QUOTED;
      } else if (c == '[' && dialect.bracketIdentifiers) {
        i = quotedEnd(i, ']', false);
        type = QUOTED;
      } else if (isDigit(c) || (c == '.' && isDigit(at(i + 1)))) {
        i = numberEnd(i);
        type = NUMBER;
      } else if ((c == '-' || c == '+') && startsNumber(i + 1) && signAllowed()) {
        i = numberEnd(i + 1);
        type = NUMBER;
      } else if (c == '$' && dialect.dollarQuotes && dollarTagEnd(i) > 0) {
        i = dollarStringEnd(i, dollarTagEnd(i));
        type = STRING;
      } else if (c == '$' && isDigit(at(i + 1))) {
        i = digitsEnd(i + 1);
        type = PARAM;
      } else if (c == '?') {
        i++;
        type = PARAM;
      } else if (c == ':' && at(i + 1) == ':') {
        i += 2;
        type = OP;
      } else if (c == ':' && isWordStart(at(i + 1)) && !(count > 0 && !gap && types[count - 1] == WORD)) {
        i = wordEnd(i + 1);
        type = PARAM;
      } else if (isWordStart(c)) {
        i = wordEnd(i);
        char next = at(i);
        if (next == '\'' && isStringPrefix(start, i)) {
          boolean e = i - start == 1 && (c == 'E' || c == 'e');
          i = quotedEnd(i, '\'', e || dialect.backslashEscapes);
          type = STRING;
        } else if (next == '&' && at(i + 1) == '\'' && i - start == 1 && (c == 'U' || c == 'u')) {
          i = quotedEnd(i + 1, '\'', false);
          type = STRING;
        } else {
          type = WORD;
        }
      } else {
        i++;
        type = OP;
      }
      if (type == OP && c == ')') {
        depth = Math.max(0, depth - 1);
      }
      add(type, start, i, gap, depth);
      if (type == OP && c == '(') {
        depth++;
      }
      gap = false;
    }
  }

  private void add(byte type, int start, int end, boolean gap, int depth) {
    if (count == types.length) {
      int size = count * 2;
      types = Arrays.copyOf(types, size);
      starts = Arrays.copyOf(starts, size);
      ends = Arrays.copyOf(ends, size);
      gaps = Arrays.copyOf(gaps, size);
      depths = Arrays.copyOf(depths, size);
    }
    types[count] = type;
    starts[count] = start;
    ends[count] = end;
    gaps[count] = gap;
    depths[count] = depth;
    count++;
  }

  private char at(int i) {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private int lineEnd(int i) {
    int n = s.length();
    while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  private int blockCommentEnd(int i) {
    int n = s.length();
    int depth = 1;
    i += 2;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '*' && at(i + 1) == '/') {
        i += 2;
        if (--depth == 0) {
          return i;
        }
      } else if (c == '/' && at(i + 1) == '*' && dialect.nestedComments) {
        depth++;
        i += 2;
      } else {
        i++;
      }
    }
    return n;
  }

  /** From an opening quote at {@code i} to after its closing one; a doubled close is an escape. */
  private int quotedEnd(int i, char close, boolean backslash) {
    int n = s.length();
    i++;
    while (i < n) {
      char c = s.charAt(i);
      if (backslash && c == '\\') {
        i += 2;
      } else if (c == close) {
        if (at(i + 1) == close) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  private boolean startsNumber(int i) {
    return isDigit(at(i)) || (at(i) == '.' && isDigit(at(i + 1)));
  }

  private int numberEnd(int i) {
    if (at(i) == '0' && (at(i + 1) == 'x' || at(i + 1) == 'X') && isHex(at(i + 2))) {
      i += 2;
      while (isHex(at(i))) {
        i++;
      }
      return wordEnd(i);
    }
    i = digitsEnd(i);
    if (at(i) == '.' && at(i + 1) != '.') {
      i = digitsEnd(i + 1);
    }
    if (at(i) == 'e' || at(i) == 'E') {
      if (isDigit(at(i + 1))) {
        i = digitsEnd(i + 1);
      } else if ((at(i + 1) == '+' || at(i + 1) == '-') && isDigit(at(i + 2))) {
        i = digitsEnd(i + 2);
      }
    }
    return wordEnd(i); // suffixes (1L, 2.5f) and digit separators (1_000) stay in the literal
  }

  private int digitsEnd(int i) {
    while (isDigit(at(i)) || (at(i) == '_' && isDigit(at(i + 1)))) {
      i++;
    }
    return i;
  }

  /** A sign belongs to the number unless the previous token ends an operand ({@code a-1}). */
  private boolean signAllowed() {
    if (count == 0) {
      return true;
    }
    int last = count - 1;
    switch (types[last]) {
      case OP:
        char c = s.charAt(starts[last]);
        return c != ')' && c != ']' && c != '}';
      case WORD:
        for (String k : SIGN_AFTER) {
          if (isWord(last, k)) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }

  /** {@code $$} or {@code $tag$}: the index after the tag, or -1. */
  private int dollarTagEnd(int i) {
    int j = i + 1;
    if (at(j) == '$') {
      return j + 1;
    }
    if (!(Character.isLetter(at(j)) || at(j) == '_')) {
      return -1;
    }
    while (Character.isLetterOrDigit(at(j)) || at(j) == '_') {
      j++;
    }
    return at(j) == '$' ? j + 1 : -1;
  }

  private int dollarStringEnd(int i, int tagEnd) {
    int close = s.indexOf(s.substring(i, tagEnd), tagEnd);
    return close < 0 ? s.length() : close + (tagEnd - i);
  }

  /** E'..' (escapes), N'..', X'..', B'..' and MySQL's _charset'..' introducers. */
  private boolean isStringPrefix(int start, int end) {
    char c = s.charAt(start);
    if (end - start == 1) {
      c = Character.toUpperCase(c);
      return c == 'E' || c == 'N' || c == 'X' || c == 'B';
    }
    return c == '_';
  }

  private boolean isWordStart(char c) {
    return Character.isLetter(c) || c == '_' || c == '@' || (c == '#' && dialect == Dialect.SQLSERVER);
  }

  private int wordEnd(int i) {
    while (true) {
      char c = at(i);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@'
          || (c == '#' && dialect == Dialect.SQLSERVER)) {
        i++;
      } else {
        return i;
      }
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  // -------------------------------------------------------------------------------- analysis

  private boolean isWord(int t, String upper) {
    return t >= 0 && t < count && types[t] == WORD && ends[t] - starts[t] == upper.length()
        && s.regionMatches(true, starts[t], upper, 0, upper.length());
  }

  private boolean isOp(int t, char c) {
    return t >= 0 && t < count && types[t] == OP && s.charAt(starts[t]) == c && ends[t] - starts[t] == 1;
  }

  private String text(int t) {
    return s.substring(starts[t], ends[t]);
  }

  private Sql result() {
    String text = normalized();
    int op = operationToken();
    String operation = null;
    String collection = null;
    String procedure = null;
    if (op >= 0) {
      operation = upper(op);
      switch (operation) {
        case "CALL":
        case "EXEC":
        case "EXECUTE":
          procedure = nameAt(op + 1);
          break;
        default:
          collection = collection(op, operation);
      }
    }
    return new Sql(text, operation, collection, procedure, parameterNames(operation, op));
  }

  private String normalized() {
    StringBuilder out = new StringBuilder(s.length());
    for (int t = 0; t < count; t++) {
      if (gaps[t] && out.length() > 0) {
        out.append(' ');
      }
      if (isOp(t, '(') && isWord(t - 1, "IN")) {
        int close = valueListEnd(t);
        if (close > 0) {
          out.append("(?)"); // IN lists of any length read the same
          t = close;
          continue;
        }
      }
      if (types[t] == STRING || types[t] == NUMBER) {
        out.append('?');
      } else {
        out.append(s, starts[t], ends[t]);
      }
    }
    return out.toString();
  }

  /** For {@code (} at {@code open} followed by literals and placeholders only: its {@code )}, else -1. */
  private int valueListEnd(int open) {
    int t = open + 1;
    while (t < count) {
      byte type = types[t];
      if (type != STRING && type != NUMBER && type != PARAM) {
        return -1;
      }
      t++;
      if (isOp(t, ')')) {
        return t;
      }
      if (!isOp(t, ',')) {
        return -1;
      }
      t++;
    }
    return -1;
  }

  /** The statement's keyword, past a JDBC escape's {@code {? =} and opening parentheses. */
  private int operationToken() {
    int t = 0;
    while (t < count && (isOp(t, '(') || isOp(t, '{') || isOp(t, '=') || types[t] == PARAM)) {
      t++;
    }
    if (t >= count || types[t] != WORD || !isAsciiLetters(t) || ends[t] - starts[t] > 30) {
      return -1;
    }
    if (isWord(t, "WITH")) {
      int depth = depths[t];
      for (int u = t + 1; u < count; u++) {
        if (depths[u] == depth && (isWord(u, "SELECT") || isWord(u, "INSERT") || isWord(u, "UPDATE")
            || isWord(u, "DELETE") || isWord(u, "MERGE"))) {
          return u;
        }
      }
    }
    return t;
  }

  private boolean isAsciiLetters(int t) {
    for (int i = starts[t]; i < ends[t]; i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  private String upper(int t) {
    String w = text(t).toUpperCase(Locale.ROOT);
    switch (w) { // the common ones shared, not one String per statement
      case "SELECT":
        return "SELECT";
      case "INSERT":
        return "INSERT";
      case "UPDATE":
        return "UPDATE";
      case "DELETE":
        return "DELETE";
      default:
        return w;
    }
  }

  private String collection(int op, String operation) {
    int depth = depths[op];
    switch (operation) {
      case "SELECT":
        for (int t = op + 1; t < count; t++) {
          if (depths[t] == depth && isWord(t, "FROM")) {
            return nameAt(skip(t + 1, "ONLY", "LATERAL"));
          }
          if (depths[t] < depth) {
            return null;
          }
        }
        return null;
      case "INSERT":
      case "REPLACE":
      case "UPSERT":
      case "MERGE":
        for (int t = op + 1; t < count && t <= op + 6; t++) {
          if (isWord(t, "INTO")) {
            return nameAt(t + 1);
          }
        }
        return null;
      case "UPDATE":
        return nameAt(skip(op + 1, "OR", "ROLLBACK", "ABORT", "REPLACE", "FAIL", "IGNORE", "ONLY",
            "LOW_PRIORITY"));
      case "DELETE":
        for (int t = op + 1; t < count && t <= op + 4; t++) {
          if (isWord(t, "FROM")) {
            return nameAt(skip(t + 1, "ONLY"));
          }
        }
        return null;
      case "CREATE":
      case "DROP":
      case "ALTER":
      case "TRUNCATE":
        for (int t = op + 1; t < count && t <= op + 6; t++) {
          if (isWord(t, "TABLE") || isWord(t, "VIEW")) {
            return nameAt(skip(t + 1, "IF", "NOT", "EXISTS", "ONLY"));
          }
        }
        return operation.equals("TRUNCATE") ? nameAt(op + 1) : null;
      default:
        return null;
    }
  }

  private int skip(int t, String... words) {
    outer:
    while (t < count) {
      for (String w : words) {
        if (isWord(t, w)) {
          t++;
          continue outer;
        }
      }
      return t;
    }
    return t;
  }

  /** {@code name}, {@code schema.name} or quoted parts, as written; null if none starts at t. */
  private String nameAt(int t) {
    int last = nameEnd(t);
    return last < 0 ? null : s.substring(starts[t], ends[last]);
  }

  /** The last token of the name starting at {@code t}, or -1. */
  private int nameEnd(int t) {
    if (t < 0 || t >= count || (types[t] != WORD && types[t] != QUOTED)) {
      return -1;
    }
    int last = t;
    while (isOp(last + 1, '.') && !gaps[last + 1] && last + 2 < count && !gaps[last + 2]
        && (types[last + 2] == WORD || types[last + 2] == QUOTED)) {
      last += 2;
    }
    return last;
  }

  // ------------------------------------------------------------------------ parameter names

  private String[] parameterNames(String operation, int op) {
    int params = 0;
    for (int t = 0; t < count; t++) {
      if (types[t] == PARAM && s.charAt(starts[t]) == '?') {
        params++;
      }
    }
    if (params == 0) {
      return null;
    }
    String[] names = new String[params];
    String[] insertColumns = "INSERT".equals(operation) || "REPLACE".equals(operation) ? insertColumns(op) : null;
    boolean any = false;
    int ordinal = 0;
    int valuesTuple = -1; // the depth of VALUES while its tuples are read
    int element = 0;
    for (int t = 0; t < count; t++) {
      if (insertColumns != null) {
        if (isWord(t, "VALUES")) {
          valuesTuple = depths[t];
        } else if (valuesTuple >= 0) {
          if (isOp(t, '(') && depths[t] == valuesTuple) {
            element = 0;
          } else if (isOp(t, ',') && depths[t] == valuesTuple + 1) {
            element++;
          } else if (isWord(t, "SELECT") || isWord(t, "ON") || isWord(t, "RETURNING")) {
            valuesTuple = -1;
          }
        }
      }
      if (types[t] != PARAM || s.charAt(starts[t]) != '?') {
        continue;
      }
      String name = null;
      if (valuesTuple >= 0 && depths[t] > valuesTuple && element < insertColumns.length) {
        name = insertColumns[element];
      }
      if (name == null) {
        name = comparedName(t);
      }
      names[ordinal++] = name;
      any |= name != null;
    }
    return any ? names : null;
  }

  /** The column list of {@code INSERT INTO t (a, b) ...}, unquoted; null if there is none. */
  private String[] insertColumns(int op) {
    int t = op + 1;
    while (t < count && !isWord(t, "INTO")) {
      if (t > op + 6) {
        return null;
      }
      t++;
    }
    t = nameEnd(t + 1) + 1;
    if (t > 0 && isWord(t, "AS") && t + 1 < count && types[t + 1] == WORD) {
      t += 2; // INSERT INTO t AS alias (...)
    }
    if (t <= 0 || !isOp(t, '(')) {
      return null;
    }
    int depth = depths[t] + 1;
    String[] columns = new String[8];
    int n = 0;
    for (t = t + 1; t < count && !(isOp(t, ')') && depths[t] == depth - 1); t++) {
      if (depths[t] == depth && (types[t] == WORD || types[t] == QUOTED)
          && (isOp(t + 1, ',') || isOp(t + 1, ')'))) {
        if (n == columns.length) {
          columns = Arrays.copyOf(columns, n * 2);
        }
        columns[n++] = unquoted(t);
      }
    }
    return n == 0 ? null : Arrays.copyOf(columns, n);
  }

  /** {@code col = ?}, {@code col LIKE ?}, {@code col IN (?, ?)}, {@code ? = col}, {@code name => ?}. */
  private String comparedName(int t) {
    int p = t - 1;
    if (isOp(p, '(') || isOp(p, ',')) {
      int q = p;
      while (q >= 0 && (isOp(q, ',') || types[q] == PARAM || types[q] == NUMBER || types[q] == STRING)) {
        q--;
      }
      if (isOp(q, '(') && isWord(q - 1, "IN")) {
        int before = isWord(q - 2, "NOT") ? q - 3 : q - 2;
        return columnAt(before);
      }
      return null;
    }
    if (isComparison(p)) {
      while (isComparison(p - 1)) {
        p--;
      }
      return columnAt(p - 1);
    }
    if (isWord(p, "LIKE") || isWord(p, "ILIKE") || isWord(p, "GLOB") || isWord(p, "REGEXP")
        || isWord(p, "BETWEEN")) {
      return columnAt(isWord(p - 1, "NOT") ? p - 2 : p - 1);
    }
    if (isWord(p, "AND") && p >= 2 && types[p - 1] == PARAM && isWord(p - 2, "BETWEEN")) {
      return columnAt(isWord(p - 3, "NOT") ? p - 4 : p - 3);
    }
    int n = t + 1;
    if (isComparison(n)) {
      while (isComparison(n + 1)) {
        n++;
      }
      return isWord(n + 1, "CALL") ? null : columnAt(n + 1); // not {? = call f(?)}
    }
    return null;
  }

  private boolean isComparison(int t) {
    if (t < 0 || t >= count || types[t] != OP || ends[t] - starts[t] != 1) {
      return false;
    }
    char c = s.charAt(starts[t]);
    return c == '=' || c == '<' || c == '>' || c == '!' || c == ':';
  }

  private String columnAt(int t) {
    if (t < 0 || t >= count || (types[t] != WORD && types[t] != QUOTED)) {
      return null;
    }
    return unquoted(t);
  }

  private String unquoted(int t) {
    if (types[t] == QUOTED && ends[t] - starts[t] >= 2) {
      return s.substring(starts[t] + 1, ends[t] - 1);
    }
    return text(t);
  }
}
