package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.recorder.Decoded.Body;
import io.mintaro.internal.recorder.Decoded.Breadcrumb;
import io.mintaro.internal.recorder.Decoded.Err;
import io.mintaro.internal.recorder.Decoded.Exchange;
import io.mintaro.internal.recorder.Decoded.Header;
import io.mintaro.internal.recorder.Decoded.Log;
import io.mintaro.internal.recorder.Decoded.SpanEnd;
import io.mintaro.internal.recorder.Decoded.SpanStart;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every record type written to the ring is read back, newest first, with every field intact. */
class FlightRecorderRoundTripTest {
  private static final long HI = 0x4bf92f3577b34da6L;
  private static final long LO = 0xa3ce929d0e0e4736L;
  private static final long SPAN = 0x00f067aa0ba902b7L;
  private static final long PARENT = 0xa1b2c3d4e5f60718L;

  private final FlightRecorder recorder = new FlightRecorder(1 << 20);
  private final RecordWriter writer = new RecordWriter(recorder);

  @Test
  void recordsOfATraceAreReadBackNewestFirstWithEveryFieldIntact() {
    ErrorInfo error = new ErrorInfo("java.lang.IllegalStateException", "card declined", "stack\n\tat x");
    ErrorInfo handled1 = new ErrorInfo("java.io.IOException", "retry 1", "s1");
    ErrorInfo handled2 = new ErrorInfo("java.io.IOException", null, null);
    byte[] requestBody = "{\"amount\": 12}".getBytes(StandardCharsets.UTF_8);
    byte[] responseBody = {0, (byte) 0xff, 1, 2};

    writer.spanStart(HI, LO, SPAN, PARENT, (byte) 1, 1_000, "POST /payments");
    writer.log(HI, LO, SPAN, 1_100, (byte) 2, "io.mintaro.demo.Payments", "qtp-12", "charging card", null);
    writer.log(HI, LO, SPAN, 1_150, (byte) 5, "io.mintaro.demo.Payments", "qtp-12", "declined", error);
    writer.exchange(HI, LO, SPAN, 1_000, 23_000, (byte) 1, 500, "POST", "http://127.0.0.1:8083/payments",
        null, new String[] {"content-type", "application/json", "authorization", "[REDACTED]"}, 2,
        requestBody, requestBody.length, 14, new String[] {"x-empty", null}, 1, responseBody,
        responseBody.length, 4000);
    writer.breadcrumb(HI, LO, SPAN, 1_200, (byte) 2, "9c1d2e3f4a5b6c7d", "127.0.0.1:8083");
    writer.spanEnd(HI, LO, SPAN, PARENT, (byte) 1, (byte) 2, 1_000, 24_000, "POST /payments",
        new String[] {"http.route", "/payments", "nothing", null}, 2, error,
        new ErrorInfo[] {handled1, handled2}, 2, null, 0);

    List<byte[]> records = recorder.read(HI, LO, 0);

    assertThat(records).hasSize(6);
    assertThat(records.stream().map(Decoded::decode)).containsExactly(
        new SpanEnd(header(records.get(0), RecordType.SPAN_END, 24_000), PARENT, (byte) 1, (byte) 2, 1_000,
            "POST /payments", Arrays.asList("http.route", "/payments", "nothing", null),
            Err.of(error), List.of(Err.of(handled1), Err.of(handled2))),
        new Breadcrumb(header(records.get(1), RecordType.BREADCRUMB, 1_200), (byte) 2, "9c1d2e3f4a5b6c7d",
            "127.0.0.1:8083"),
        new Exchange(header(records.get(2), RecordType.EXCHANGE, 1_000), (byte) 1, 500, 23_000, "POST",
            "http://127.0.0.1:8083/payments", null,
            List.of("content-type", "application/json", "authorization", "[REDACTED]"),
            new Body(requestBody, 14), Arrays.asList("x-empty", null),
            new Body(responseBody, 4000)),
        new Log(header(records.get(3), RecordType.LOG, 1_150), (byte) 5, "io.mintaro.demo.Payments", "qtp-12",
            "declined", Err.of(error)),
        new Log(header(records.get(4), RecordType.LOG, 1_100), (byte) 2, "io.mintaro.demo.Payments", "qtp-12",
            "charging card", null),
        new SpanStart(header(records.get(5), RecordType.SPAN_START, 1_000), PARENT, (byte) 1, "POST /payments"));
  }

  @Test
  void positionsAreUniqueAndGrowWithEveryRecord() {
    for (int i = 0; i < 10; i++) {
      writer.log(HI, LO, SPAN, i, (byte) 3, "l", "t", "m" + i, null);
    }
    List<Long> positions = recorder.read(HI, LO, 0).stream().map(r -> new RecordReader(r).position()).toList();

    assertThat(positions).hasSize(10).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void nullStringsAndAbsentErrorsStayNull() {
    writer.exchange(HI, LO, SPAN, 1, 2, (byte) 2, 0, null, null, "java.net.ConnectException: refused",
        null, 0, null, 0, 0, null, 0, null, 0, 0);
    writer.log(HI, LO, SPAN, 3, (byte) 1, null, null, null, null);
    writer.breadcrumb(HI, LO, SPAN, 4, (byte) 2, null, "down.example:443");
    writer.spanStart(HI, LO, SPAN, 0, (byte) 0, 5, null);

    List<byte[]> records = recorder.read(HI, LO, 0);
    List<Object> decoded = records.stream().map(Decoded::decode).toList();

    assertThat(decoded.get(0)).isEqualTo(new SpanStart(Decoded.header(records.get(0)), 0, (byte) 0, null));
    assertThat(((Breadcrumb) decoded.get(1)).agentId()).isNull();
    assertThat(((Log) decoded.get(2)).message()).isNull();
    assertThat(((Log) decoded.get(2)).error()).isNull();
    Exchange exchange = (Exchange) decoded.get(3);
    assertThat(exchange.status()).isZero();
    assertThat(exchange.method()).isNull();
    assertThat(exchange.url()).isNull();
    assertThat(exchange.error()).isEqualTo("java.net.ConnectException: refused");
    assertThat(exchange.requestHeaders()).isEmpty();
    assertThat(exchange.requestBody()).isEqualTo(new Body(new byte[0], 0));
    assertThat(exchange.responseBody()).isEqualTo(new Body(new byte[0], 0));
  }

  @Test
  void anEmptyRingAndAnUnknownTraceReadAsNothing() {
    assertThat(recorder.read(HI, LO, 0)).isEmpty();
    writer.log(HI, LO, SPAN, 1, (byte) 3, "l", "t", "m", null);
    assertThat(recorder.read(HI + 1, LO + 1, 0)).isEmpty();
  }

  @Test
  void readingCopiesSoTheCallerCannotCorruptTheRing() {
    writer.log(HI, LO, SPAN, 1, (byte) 3, "l", "t", "message", null);
    byte[] first = recorder.read(HI, LO, 0).get(0);
    Arrays.fill(first, (byte) 0x7f);

    assertThat(((Log) Decoded.decode(recorder.read(HI, LO, 0).get(0))).message()).isEqualTo("message");
  }

  private static Header header(byte[] record, byte type, long timeUs) {
    Header h = Decoded.header(record);
    assertThat(h.type()).isEqualTo(type);
    assertThat(h.traceHi()).isEqualTo(HI);
    assertThat(h.traceLo()).isEqualTo(LO);
    assertThat(h.spanId()).isEqualTo(SPAN);
    assertThat(h.timeUs()).isEqualTo(timeUs);
    return h;
  }
}
