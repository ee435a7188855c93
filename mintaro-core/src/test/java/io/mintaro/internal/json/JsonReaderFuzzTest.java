package io.mintaro.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mintaro.HostileText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Property tests of the SDK's JSON reader, which parses the collector's answers (register, poll):
 * whatever a collector or something posing as one answers, the reader returns a value or refuses
 * it with {@link IllegalArgumentException}, the one failure the agent expects; never another
 * exception, never a stack overflow. What {@link JsonWriter} writes reads back as it was.
 */
class JsonReaderFuzzTest {

  @Property(tries = 2_000)
  void anyAnswerIsAValueOrRefusedAsMalformed(@ForAll("answers") String answer) {
    try {
      Object value = JsonReader.parse(answer);
      assertThat(value == null || value instanceof Map || value instanceof List || value instanceof String
          || value instanceof Long || value instanceof Double || value instanceof Boolean).as(String.valueOf(value))
          .isTrue();
    } catch (IllegalArgumentException expected) {
      assertThat(expected).hasMessageStartingWith("malformed JSON at ");
    }
  }

  @Property(tries = 500)
  void whatTheWriterWritesReadsBackAsItWas(@ForAll("values") Object value) {
    StringBuilder out = new StringBuilder();
    write(new JsonWriter(out), value);

    assertThat(JsonReader.parse(out.toString())).isEqualTo(value);
  }

  @Property(tries = 100)
  void nestingPastTheLimitIsRefusedWithoutOverflowingTheStack(@ForAll @IntRange(min = 33, max = 200_000) int depth,
      @ForAll boolean objects) {
    String open = objects ? "{\"a\":" : "[";
    String json = open.repeat(depth) + "1" + (objects ? "}" : "]").repeat(depth);

    assertThatThrownBy(() -> JsonReader.parse(json)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested too deeply");
  }

  private static void write(JsonWriter w, Object value) {
    if (value == null) {
      w.nullValue();
    } else if (value instanceof String s) {
      w.value(s);
    } else if (value instanceof Long l) {
      w.value(l);
    } else if (value instanceof Boolean b) {
      w.value(b);
    } else if (value instanceof Map<?, ?> m) {
      w.beginObject();
      m.forEach((k, v) -> {
        w.name((String) k);
        write(w, v);
      });
      w.endObject();
    } else {
      w.beginArray();
      for (Object item : (List<?>) value) {
        write(w, item);
      }
      w.endArray();
    }
  }

  private static Arbitrary<Object> scalar() {
    return Arbitraries.oneOf(HostileText.anyText(20).map(s -> (Object) s),
        Arbitraries.longs().map(l -> (Object) l), Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null));
  }

  private static Arbitrary<Object> value(int depth) {
    if (depth == 0) {
      return scalar();
    }
    Arbitrary<Object> list = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(4).map(l -> (Object) l);
    Arbitrary<Object> map = Arbitraries.maps(HostileText.anyText(10), Arbitraries.lazy(() -> value(depth - 1)))
        .ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.frequencyOf(Tuple.of(3, scalar()), Tuple.of(1, list), Tuple.of(1, map));
  }

  @Provide
  Arbitrary<Object> values() {
    return value(4);
  }

  @Provide
  Arbitrary<String> answers() {
    Arbitrary<String> written = values().map(v -> {
      StringBuilder out = new StringBuilder();
      write(new JsonWriter(out), v);
      return out.toString();
    });
    Arbitrary<String> numbers = Arbitraries.strings().withChars("+-0123456789.eE").ofMaxLength(25);
    Arbitrary<String> answersOfTheCollector = Arbitraries.of("{\"pollTimeoutMs\":30000,\"lateWindowMs\":5000}",
        "{\"commands\":[{\"type\":\"collect\",\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}]}",
        "{\"commands\":[]}", "\"\\u12\"", "[1,]", "{\"a\"}", "-", "1e999", "99999999999999999999");
    List<Arbitrary<String>> sources = new ArrayList<>(List.of(written, numbers, answersOfTheCollector,
        HostileText.anyText(60)));
    return Arbitraries.oneOf(Arbitraries.oneOf(sources), HostileText.mutationsOf(Arbitraries.oneOf(sources)),
        Combinators.combine(written, HostileText.anyText(5)).as(String::concat));
  }
}
