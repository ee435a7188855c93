package io.mintaro.internal.json;

/**
 * Writes JSON into a StringBuilder. The SDK core has no dependencies, and the agent only ever
 * writes a few fixed shapes, so a writer this small is all it needs. Commas are placed
 * automatically.
 */
public final class JsonWriter {
  private final StringBuilder out;
  private boolean needComma;

  public JsonWriter(StringBuilder out) {
    this.out = out;
  }

  public JsonWriter beginObject() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  public JsonWriter endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  public JsonWriter beginArray() {
    comma();
    out.append('[');
    needComma = false;
    return this;
  }

  public JsonWriter endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  public JsonWriter name(String name) {
    comma();
    string(name);
    out.append(':');
    needComma = false;
    return this;
  }

  public JsonWriter value(String value) {
    comma();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    needComma = true;
    return this;
  }

  public JsonWriter value(long value) {
    comma();
    out.append(value);
    needComma = true;
    return this;
  }

  public JsonWriter value(boolean value) {
    comma();
    out.append(value);
    needComma = true;
    return this;
  }

  public JsonWriter nullValue() {
    comma();
    out.append("null");
    needComma = true;
    return this;
  }

  private void comma() {
    if (needComma) {
      out.append(',');
    }
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
