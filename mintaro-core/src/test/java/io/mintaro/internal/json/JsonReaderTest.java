package io.mintaro.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader parses the collector's answers and rejects anything malformed with IllegalArgumentException. */
class JsonReaderTest {

  @Test
  void parsesTheShapesTheCollectorSends() {
    Object parsed = JsonReader.parse(" {\"commands\": [{\"type\": \"collect\", \"traceId\": \"4bf9\"}],"
        + " \"pollTimeoutMs\": 20000, \"ratio\": 0.5, \"ok\": true, \"none\": null, \"neg\": -3e2 } ");

    assertThat(parsed).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) parsed;
    assertThat(map.get("commands")).isEqualTo(List.of(Map.of("type", "collect", "traceId", "4bf9")));
    assertThat(map.get("pollTimeoutMs")).isEqualTo(20000L);
    assertThat(map.get("ratio")).isEqualTo(0.5);
    assertThat(map.get("ok")).isEqualTo(true);
    assertThat(map.containsKey("none")).isTrue();
    assertThat(map.get("none")).isNull();
    assertThat(map.get("neg")).isEqualTo(-300.0);
  }

  @Test
  void decodesEveryEscape() {
    assertThat(JsonReader.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\""))
        .isEqualTo("\" \\ / \b \f \n \r \t é 😀");
  }

  @Test
  void nestingUpToTheLimitIsFine() {
    assertThat(JsonReader.parse("[".repeat(32) + "]".repeat(32))).isInstanceOf(List.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // trailing garbage
      "{} x", "[1] [2]", "\"a\" \"b\"", "1 2", "truex", "null,",
      // unterminated
      "\"abc", "\"abc\\\"", "{\"a\":1", "[1,2", "{\"a\"", "{\"a\":", "[", "{",
      // bad escapes
      "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\\u-123\"", "\"\\u+123\"", "\"\\u\u0661\u0662\u0663\u0664\"", "\"\\",
      // raw control characters in strings
      "\"a\nb\"", "\"\u0000\"",
      // structure
      "", "   ", "{,}", "[,]", "[1,]", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1 2]", "}", "]", ":",
      // literals and numbers
      "tru", "nul", "True", "NaN", "Infinity", "-", "1-2", "--1", "1e", "0x10", "'a'"})
  void malformedInputIsRejected(String json) {
    assertThatThrownBy(() -> JsonReader.parse(json)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nestingBeyondTheLimitIsRejectedWithoutOverflowingTheStack() {
    assertThatThrownBy(() -> JsonReader.parse("[".repeat(40) + "]".repeat(40)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonReader.parse("[".repeat(100_000)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonReader.parse("{\"a\":".repeat(100_000)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
