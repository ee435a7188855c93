package io.mintaro.internal.print;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.json.JsonReader;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The tree a person reads on a terminal, for a known trace (docs/printing.md). */
class TreeFormatTest {
  /** A JSON line of schema 1: a failed payment, with an exchange, a DEBUG line and an ERROR with its stack. */
  static final String LINE = """
      {"mintaro":1,"agent":{"agentId":"3f2a9c0d11b4e7a1","service":"payments","host":"box","pid":1,"sdk":"0.1.0","authorities":[]},
       "batch":{"agentId":"3f2a9c0d11b4e7a1",
        "triggers":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","kind":"error","reason":"HTTP 500 POST /payments","atMs":1763700000123}],
        "traces":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","reply":false,
         "spans":[
          {"spanId":"00000000000000a1","parentSpanId":null,"name":"POST /payments","kind":"server","status":"failed",
           "startUs":1763700000100000,"endUs":1763700000123000,"attributes":{},
           "error":{"type":"java.lang.IllegalStateException","message":"card declined",
                    "stack":"java.lang.IllegalStateException: card declined\\n\\tat demo.Payments.charge(Payments.java:42)\\n\\tat demo.Payments.handle(Payments.java:17)\\n"},
           "handledErrors":[]},
          {"spanId":"00000000000000b2","parentSpanId":"00000000000000a1","name":"charge-card","kind":"internal","status":"succeeded",
           "startUs":1763700000101000,"endUs":1763700000121500,"attributes":{},"error":null,"handledErrors":[]}],
         "messages":[
          {"seq":3,"spanId":"00000000000000b2","direction":"outbound","method":"POST","url":"http://bank:9000/charge",
           "status":402,"startUs":1763700000102000,"durationUs":18250,"error":null},
          {"seq":1,"spanId":"00000000000000a1","direction":"inbound","method":"POST","url":"http://127.0.0.1:8083/payments",
           "status":500,"startUs":1763700000100000,"durationUs":23000,"error":null}],
         "logs":[
          {"seq":2,"spanId":"00000000000000b2","timeUs":1763700000101500,"level":"DEBUG","logger":"demo.Payments",
           "thread":"main","message":"charging card","error":null}],
         "breadcrumbs":[]}]}}
      """;

  @Test
  void spansNestTheirExchangesLogsChildrenAndErrorInTimeOrder() {
    String tree = new TreeFormat(false, ZoneOffset.UTC).render(JsonReader.parse(LINE));

    assertThat(tree).isEqualTo("""
        mintaro payments  trace 4bf92f3577b34da6a3ce929d0e0e4736
          error: HTTP 500 POST /payments
        └─ POST /payments  server  23.0 ms  failed
           ├─ ⇠ POST http://127.0.0.1:8083/payments → 500  23.0 ms
           ├─ charge-card  internal  20.5 ms
           │  ├─ 04:40:00.101 DEBUG d.Payments  charging card
           │  └─ ⇢ POST http://bank:9000/charge → 402  18.3 ms
           └─ ✗ java.lang.IllegalStateException: card declined
                 at demo.Payments.charge(Payments.java:42)
                 at demo.Payments.handle(Payments.java:17)
        """);
  }

  @Test
  void coloursArePlainAnsiAndOnlyWhenAskedFor() {
    String coloured = new TreeFormat(true, ZoneOffset.UTC).render(JsonReader.parse(LINE));

    assertThat(coloured).contains("\u001b[1m\u001b[31mPOST /payments\u001b[0m", "\u001b[31m500\u001b[0m");
    assertThat(new TreeFormat(false, ZoneOffset.UTC).render(JsonReader.parse(LINE))).doesNotContain("\u001b");
  }

  @Test
  void noColorTurnsColoursOffWhenSetToAnything() {
    assertThat(Printer.noColourUnset(null)).isTrue();
    assertThat(Printer.noColourUnset("")).isTrue();
    assertThat(Printer.noColourUnset("1")).isFalse();
  }

  @Test
  void durationsReadInTheirNaturalUnit() {
    assertThat(TreeFormat.duration(850)).isEqualTo("850 µs");
    assertThat(TreeFormat.duration(23_000)).isEqualTo("23.0 ms");
    assertThat(TreeFormat.duration(2_310_000)).isEqualTo("2.31 s");
  }
}
