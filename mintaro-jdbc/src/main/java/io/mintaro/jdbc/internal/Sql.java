package io.mintaro.jdbc.internal;

/**
 * What Mintaro records of one SQL text: computed once by {@link SqlAnalyzer} and cached, so it is
 * immutable.
 */
public final class Sql {
  static final Sql EMPTY = new Sql("", null, null, null, null);

  /** The normalised text: literals replaced by {@code ?}, comments dropped, whitespace collapsed. */
  public final String text;
  /** {@code SELECT}, {@code INSERT}, ...: the statement's first keyword, upper case; null if none. */
  public final String operation;
  /** The first table the statement names, as written; null when not simple to tell. */
  public final String collection;
  /** The procedure a {@code CALL} or {@code EXEC} names, as written; null otherwise. */
  public final String procedure;
  /** {@code SELECT users} like OpenTelemetry: operation and table (or procedure); null if no operation. */
  public final String spanName;
  /** By 0-based {@code ?} ordinal: the column or parameter name it is compared with; may be null. */
  private final String[] parameterNames;

  Sql(String text, String operation, String collection, String procedure, String[] parameterNames) {
    this.text = text;
    this.operation = operation;
    this.collection = collection;
    this.procedure = procedure;
    this.parameterNames = parameterNames;
    String target = collection != null ? collection : procedure;
    this.spanName = operation == null ? null : target == null ? operation : operation + " " + target;
  }

  /** The column or parameter name the {@code index}th (0-based) {@code ?} belongs to, or null. */
  public String parameterName(int index) {
    return parameterNames == null || index < 0 || index >= parameterNames.length ? null : parameterNames[index];
  }

  @Override
  public String toString() {
    return text;
  }
}
