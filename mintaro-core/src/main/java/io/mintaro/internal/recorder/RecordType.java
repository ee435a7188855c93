package io.mintaro.internal.recorder;

/** Type tags of ring records; see docs/recorder.md for the layout of each. */
public final class RecordType {
  public static final byte SPAN_START = 1;
  public static final byte SPAN_END = 2;
  public static final byte LOG = 3;
  public static final byte EXCHANGE = 4;
  public static final byte BREADCRUMB = 5;

  private RecordType() {}
}
