package io.mintaro.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The writer produces valid JSON for any string, and the reader reads back what was written. */
class JsonWriterTest {

  @Test
  void quotesBackslashesAndControlCharactersAreEscaped() {
    String s = "q\" b\\ n\n r\r t\t bs\b ff\f nul\u0000 us\u001f del\u007f";

    String json = write(s);

    assertThat(json).isEqualTo("\"q\\\" b\\\\ n\\n r\\r t\\t bs\\u0008 ff\\u000c nul\\u0000 us\\u001f del\u007f\"");
    assertThat(json.chars().filter(c -> c < 0x20)).isEmpty();
    assertThat(JsonReader.parse(json)).isEqualTo(s);
  }

  @Test
  void lineAndParagraphSeparatorsAreEscaped() {
    String json = write("a\u2028b\u2029c");

    assertThat(json).isEqualTo("\"a\\u2028b\\u2029c\"");
    assertThat(JsonReader.parse(json)).isEqualTo("a\u2028b\u2029c");
  }

  @Test
  void surrogatePairsAreWrittenAsTheyAre() {
    assertThat(write("😀 𝄞")).isEqualTo("\"😀 𝄞\"");
  }

  @Test
  void loneSurrogatesAreEscapedSoTheOutputIsValidText() {
    String s = "a\uD800b\uDC00c\uD83D";

    String json = write(s);

    assertThat(json).isEqualTo("\"a\\ud800b\\udc00c\\ud83d\"");
    assertThat(JsonReader.parse(json)).isEqualTo(s);
  }

  @Test
  void everyStringRoundTrips() {
    Random random = new Random(11);
    for (int i = 0; i < 2_000; i++) {
      char[] chars = new char[random.nextInt(40)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = switch (random.nextInt(4)) {
          case 0 -> (char) random.nextInt(0x80);
          case 1 -> (char) random.nextInt(0x10000);
          case 2 -> "\"\\/\n\u2028".charAt(random.nextInt(5));
          default -> (char) (0xD800 + random.nextInt(0x800));
        };
      }
      String s = new String(chars);

      assertThat(JsonReader.parse(write(s))).isEqualTo(s);
    }
  }

  @Test
  void commasArePlacedBetweenMembersAndElements() {
    StringBuilder out = new StringBuilder();
    new JsonWriter(out).beginObject()
        .name("a").value(1)
        .name("b").value("x")
        .name("c").beginArray().value(true).nullValue().beginObject().endObject().beginArray().endArray().endArray()
        .name("d").value((String) null)
        .name("e").beginObject().name("f").value(-5).endObject()
        .endObject();

    assertThat(out).hasToString("{\"a\":1,\"b\":\"x\",\"c\":[true,null,{},[]],\"d\":null,\"e\":{\"f\":-5}}");
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = (Map<String, Object>) JsonReader.parse(out.toString());
    assertThat(parsed).containsEntry("a", 1L).containsEntry("b", "x").containsEntry("d", null)
        .containsEntry("e", Map.of("f", -5L));
    assertThat(parsed.get("c")).isEqualTo(java.util.Arrays.asList(true, null, Map.of(), List.of()));
  }

  @Test
  void extremeNumbersAreWrittenExactly() {
    StringBuilder out = new StringBuilder();
    new JsonWriter(out).beginArray().value(Long.MIN_VALUE).value(Long.MAX_VALUE).value(0).endArray();

    assertThat(JsonReader.parse(out.toString())).isEqualTo(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L));
  }

  @Test
  void namesAreEscapedLikeValues() {
    StringBuilder out = new StringBuilder();
    new JsonWriter(out).beginObject().name("a\"b\n").value("v").endObject();

    assertThat(JsonReader.parse(out.toString())).isEqualTo(Map.of("a\"b\n", "v"));
  }

  private static String write(String s) {
    StringBuilder out = new StringBuilder();
    new JsonWriter(out).value(s);
    return out.toString();
  }
}
