package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.recorder.Decoded.Exchange;
import io.mintaro.internal.recorder.Decoded.Log;
import io.mintaro.internal.recorder.Decoded.SpanEnd;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Variable parts are cut to fixed limits, and no record ever takes more than its share of the ring. */
class RecordLimitsTest {
  private static final long HI = 11;
  private static final long LO = 22;

  @Test
  void namesTextsAndHeaderValuesAreCutToTheirLimits() {
    FlightRecorder recorder = new FlightRecorder(4 << 20);
    RecordWriter writer = new RecordWriter(recorder);
    String huge = "x".repeat(100_000);
    ErrorInfo error = new ErrorInfo(huge, huge, huge);

    writer.log(HI, LO, 1, 1, (byte) 5, huge, huge, huge, error);
    writer.spanEnd(HI, LO, 1, 0, (byte) 0, (byte) 2, 0, 1, huge, new String[] {huge, huge}, 1, error,
        new ErrorInfo[] {error}, 1, null, 0);
    writer.exchange(HI, LO, 1, 1, 1, (byte) 1, 200, huge, huge, huge, new String[] {huge, huge}, 1, null, 0, 0,
        null, 0, null, 0, 0);
    List<byte[]> records = recorder.read(HI, LO, 0);

    assertThat(records).as("every record was kept, cut").hasSize(3);
    Exchange exchange = (Exchange) Decoded.decode(records.get(0));
    assertThat(exchange.method()).hasSize(RecordWriter.MAX_NAME);
    assertThat(exchange.url()).hasSize(RecordWriter.MAX_HEADER);
    assertThat(exchange.error()).hasSize(RecordWriter.MAX_TEXT);
    assertThat(exchange.requestHeaders().get(0)).hasSize(RecordWriter.MAX_NAME);
    assertThat(exchange.requestHeaders().get(1)).hasSize(RecordWriter.MAX_HEADER);
    SpanEnd span = (SpanEnd) Decoded.decode(records.get(1));
    assertThat(span.name()).hasSize(RecordWriter.MAX_NAME);
    assertThat(span.attributes().get(0)).hasSize(RecordWriter.MAX_NAME);
    assertThat(span.attributes().get(1)).hasSize(RecordWriter.MAX_HEADER);
    assertThat(span.error().type()).hasSize(RecordWriter.MAX_NAME);
    assertThat(span.error().message()).hasSize(RecordWriter.MAX_TEXT);
    assertThat(span.handled().get(0).stack()).hasSize(RecordWriter.MAX_TEXT);
    Log log = (Log) Decoded.decode(records.get(2));
    assertThat(log.logger()).hasSize(RecordWriter.MAX_NAME);
    assertThat(log.thread()).hasSize(RecordWriter.MAX_NAME);
    assertThat(log.message()).hasSize(RecordWriter.MAX_TEXT);
    assertThat(log.error().stack()).hasSize(RecordWriter.MAX_TEXT);
    assertThat(records).allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(recorder.maxRecordSize()));
  }

  /**
   * Found by NeverThrowsPropertiesTest (shrunk: a server exchange with path "0" x 200,000 and
   * status 500 on a 256 KiB buffer): the failed span's error message, cut to 32 KiB, made its
   * record larger than the 32 KiB largest record, and the span was dropped from the trace.
   */
  @Test
  void aRecordTooLargeForASmallRingIsKeptShortenedRatherThanDropped() {
    FlightRecorder recorder = new FlightRecorder(64 * 1024);
    RecordWriter writer = new RecordWriter(recorder);
    String huge = "y".repeat(100_000);
    ErrorInfo error = new ErrorInfo("E", huge, huge);

    writer.log(HI, LO, 1, 1, (byte) 5, "l", "t", huge, error);
    writer.spanEnd(HI, LO, 1, 0, (byte) 0, (byte) 2, 0, 1, "GET /", new String[] {"k", huge, "k2", huge}, 2, error,
        new ErrorInfo[] {error}, 1, null, 0);
    writer.exchange(HI, LO, 1, 1, 1, (byte) 1, 500, "GET", huge, huge, new String[] {"h", huge}, 1,
        huge.getBytes(), 10_000, 10_000, null, 0, null, 0, 0);
    List<byte[]> records = recorder.read(HI, LO, 0);

    assertThat(records).as("every record was kept, cut").hasSize(3)
        .allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(recorder.maxRecordSize()));
    Exchange exchange = (Exchange) Decoded.decode(records.get(0));
    assertThat(huge).startsWith(exchange.url()).startsWith(exchange.error());
    assertThat(exchange.status()).isEqualTo(500);
    SpanEnd span = (SpanEnd) Decoded.decode(records.get(1));
    assertThat(span.name()).isEqualTo("GET /");
    assertThat(span.attributes()).hasSize(4);
    assertThat(huge).startsWith(span.error().message());
    assertThat(span.error().message()).isNotEmpty();
    Log log = (Log) Decoded.decode(records.get(2));
    assertThat(huge).startsWith(log.message());
    assertThat(log.message().length()).isGreaterThan(1_000);
  }

  @Test
  void countsOfHeadersAttributesAndHandledErrorsAreCapped() {
    FlightRecorder recorder = new FlightRecorder(1 << 20);
    RecordWriter writer = new RecordWriter(recorder);
    String[] pairs = new String[400];
    for (int i = 0; i < pairs.length; i++) {
      pairs[i] = "h" + i;
    }
    ErrorInfo[] handled = new ErrorInfo[20];
    Arrays.fill(handled, new ErrorInfo("E", "m", "s"));

    writer.spanEnd(HI, LO, 1, 0, (byte) 0, (byte) 1, 0, 1, "s", pairs, 200, null, handled, 20, null, 0);
    writer.exchange(HI, LO, 1, 1, 1, (byte) 1, 200, "GET", "/", null, pairs, 200, null, 0, 0, pairs, 200,
        null, 0, 0);
    List<byte[]> records = recorder.read(HI, LO, 0);

    Exchange exchange = (Exchange) Decoded.decode(records.get(0));
    assertThat(exchange.requestHeaders()).hasSize(2 * RecordWriter.MAX_HEADERS)
        .containsExactly(Arrays.copyOf(pairs, 2 * RecordWriter.MAX_HEADERS));
    assertThat(exchange.responseHeaders()).hasSize(2 * RecordWriter.MAX_HEADERS);
    SpanEnd span = (SpanEnd) Decoded.decode(records.get(1));
    assertThat(span.attributes()).hasSize(2 * RecordWriter.MAX_ATTRIBUTES);
    assertThat(span.handled()).hasSize(RecordWriter.MAX_HANDLED_ERRORS);
  }

  @Test
  void bodiesAreCutToFitTheRecordAndKeepTheirFullSize() {
    FlightRecorder recorder = new FlightRecorder(64 * 1024);
    RecordWriter writer = new RecordWriter(recorder);
    byte[] request = ascending(20_000);
    byte[] response = ascending(30_000);

    writer.exchange(HI, LO, 1, 1, 1, (byte) 1, 200, "POST", "/upload", null, null, 0, request, request.length,
        request.length, null, 0, response, response.length, 1_000_000);
    writer.exchange(HI, LO, 2, 1, 1, (byte) 1, 200, "POST", "/small-request", null, null, 0, request, 100,
        100, null, 0, response, response.length, response.length);
    List<byte[]> records = recorder.read(HI, LO, 0);

    assertThat(records).hasSize(2).allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(recorder.maxRecordSize()));
    Exchange both = (Exchange) Decoded.decode(records.get(1));
    assertThat(both.requestBody().totalSize()).isEqualTo(20_000);
    assertThat(both.responseBody().totalSize()).isEqualTo(1_000_000);
    assertThat(both.requestBody().bytes()).isNotEmpty().isEqualTo(Arrays.copyOf(request, both.requestBody().bytes().length));
    assertThat(both.responseBody().bytes()).isNotEmpty().isEqualTo(Arrays.copyOf(response, both.responseBody().bytes().length));
    Exchange oneBig = (Exchange) Decoded.decode(records.get(0));
    assertThat(oneBig.requestBody().bytes()).as("the small body is kept whole").isEqualTo(Arrays.copyOf(request, 100));
    assertThat(oneBig.responseBody().bytes().length).as("the big one gets the rest of the room")
        .isGreaterThan(recorder.maxRecordSize() - 400);
  }

  @Test
  void noRecordEverExceedsTheMaximumRecordSize() {
    FlightRecorder recorder = new FlightRecorder(64 * 1024);
    RecordWriter writer = new RecordWriter(recorder);
    Random random = new Random(7);
    for (int i = 0; i < 3_000; i++) {
      String s = "y".repeat(random.nextInt(12_000));
      byte[] body = new byte[random.nextInt(12_000)];
      int headers = random.nextInt(4);
      String[] h = new String[8];
      Arrays.fill(h, s.substring(0, Math.min(s.length(), random.nextInt(3_000) + 1)));
      switch (i % 4) {
        case 0 -> writer.log(HI, LO, i, i, (byte) 3, "l", "t", s, null);
        case 1 -> writer.spanStart(HI, LO, i, 0, (byte) 0, i, s);
        case 2 -> writer.exchange(HI, LO, i, i, 1, (byte) 2, 200, "GET", s, null, h, headers, body, body.length,
            body.length, h, headers, body, body.length, body.length);
        default -> writer.spanEnd(HI, LO, i, 0, (byte) 0, (byte) 1, 0, i, "s", h, headers, null, null, 0, null, 0);
      }
      for (byte[] r : recorder.read(HI, LO, 0)) {
        assertThat(r.length).isLessThanOrEqualTo(recorder.maxRecordSize());
        Decoded.decode(r);
      }
    }
  }

  @Test
  void multibyteTextAndSurrogatePairsRoundTrip() {
    FlightRecorder recorder = new FlightRecorder(1 << 20);
    RecordWriter writer = new RecordWriter(recorder);
    String text = "naïve café – €5 · 日本語 · emoji 😀🎉 · 𝄞 clef";

    writer.log(HI, LO, 1, 1, (byte) 3, text, text, text, new ErrorInfo(text, text, text));
    writer.exchange(HI, LO, 1, 1, 1, (byte) 1, 200, "GET", "http://h/" + text, null,
        new String[] {"x-text", text}, 1, null, 0, 0, null, 0, null, 0, 0);

    Exchange exchange = (Exchange) Decoded.decode(recorder.read(HI, LO, 0).get(0));
    assertThat(exchange.url()).isEqualTo("http://h/" + text);
    assertThat(exchange.requestHeaders()).containsExactly("x-text", text);
    Log log = (Log) Decoded.decode(recorder.read(HI, LO, 0).get(1));
    assertThat(List.of(log.logger(), log.thread(), log.message(), log.error().type(), log.error().message(),
        log.error().stack())).containsOnly(text);
  }

  @Test
  void cutsFallOnCharacterBoundaries() {
    FlightRecorder recorder = new FlightRecorder(1 << 20);
    RecordWriter writer = new RecordWriter(recorder);
    String twoByteAtTheEdge = "a".repeat(RecordWriter.MAX_NAME - 1) + "é";
    String fourByteAtTheEdge = "a".repeat(RecordWriter.MAX_NAME - 3) + "😀";
    String threeByteChars = "€".repeat(1000);
    String pairs = "😀".repeat(20_000);

    writer.spanStart(HI, LO, 1, 0, (byte) 0, 1, twoByteAtTheEdge);
    writer.spanStart(HI, LO, 2, 0, (byte) 0, 1, fourByteAtTheEdge);
    writer.spanStart(HI, LO, 3, 0, (byte) 0, 1, threeByteChars);
    writer.log(HI, LO, 4, 1, (byte) 3, "l", "t", pairs, null);
    List<byte[]> records = recorder.read(HI, LO, 0);

    assertThat(((Log) Decoded.decode(records.get(0))).message())
        .isEqualTo("😀".repeat(RecordWriter.MAX_TEXT / 4));
    assertThat(((Decoded.SpanStart) Decoded.decode(records.get(1))).name())
        .isEqualTo("€".repeat(RecordWriter.MAX_NAME / 3));
    assertThat(((Decoded.SpanStart) Decoded.decode(records.get(2))).name())
        .isEqualTo("a".repeat(RecordWriter.MAX_NAME - 3));
    assertThat(((Decoded.SpanStart) Decoded.decode(records.get(3))).name())
        .isEqualTo("a".repeat(RecordWriter.MAX_NAME - 1));
    for (byte[] r : records) {
      assertThat(r).satisfies(RecordLimitsTest::hasOnlyValidUtf8Strings);
    }
  }

  @Test
  void loneSurrogatesBecomeReplacementCharactersWithoutDisturbingTheRest() {
    FlightRecorder recorder = new FlightRecorder(1 << 20);
    RecordWriter writer = new RecordWriter(recorder);

    writer.log(HI, LO, 1, 1, (byte) 3, "a\uD800b", "\uDC00x", "x\uD83D", null);

    Log log = (Log) Decoded.decode(recorder.read(HI, LO, 0).get(0));
    assertThat(log.logger()).isEqualTo("a\uFFFDb");
    assertThat(log.thread()).isEqualTo("\uFFFDx");
    assertThat(log.message()).isEqualTo("x\uFFFD");
  }

  private static void hasOnlyValidUtf8Strings(byte[] record) {
    Object decoded = Decoded.decode(record);
    assertThat(decoded.toString()).doesNotContain("\uFFFD");
  }

  private static byte[] ascending(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + i / 256);
    }
    return b;
  }
}
