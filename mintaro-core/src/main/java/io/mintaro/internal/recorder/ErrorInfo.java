package io.mintaro.internal.recorder;

import java.io.PrintWriter;
import java.io.StringWriter;

/** An exception reduced to text, as it is stored and shipped. */
public final class ErrorInfo {
  public final String type;
  public final String message;
  public final String stack;

  public ErrorInfo(String type, String message, String stack) {
    this.type = type;
    this.message = message;
    this.stack = stack;
  }

  /** Never throws, even for a throwable whose toString or getMessage does. */
  public static ErrorInfo of(Throwable t) {
    if (t == null) {
      return null;
    }
    String message;
    try {
      message = t.getMessage();
    } catch (RuntimeException e) {
      message = "<getMessage() threw " + e.getClass().getName() + ">";
    }
    String stack;
    try {
      StringWriter out = new StringWriter(512);
      t.printStackTrace(new PrintWriter(out));
      stack = out.toString();
    } catch (RuntimeException e) {
      stack = t.getClass().getName();
    }
    return new ErrorInfo(t.getClass().getName(), message, stack);
  }
}
