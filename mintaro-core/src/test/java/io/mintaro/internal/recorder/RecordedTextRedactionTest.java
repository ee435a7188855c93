package io.mintaro.internal.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.internal.recorder.Decoded.Err;
import io.mintaro.internal.recorder.Decoded.Exchange;
import io.mintaro.internal.recorder.Decoded.Log;
import io.mintaro.internal.recorder.Decoded.SpanEnd;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Free text reaches the ring with its JWTs and card numbers masked: log messages, exceptions'
 * messages and stack traces (where a cause's message is repeated), an exchange's error and span
 * attribute values. Names and everything else are kept as written.
 */
class RecordedTextRedactionTest {
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
  private static final String CARD = "4111 1111 1111 1111";
  private static final String MASK = "[REDACTED]";

  private final FlightRecorder recorder = new FlightRecorder(1 << 20);
  private final RecordWriter writer = new RecordWriter(recorder);

  @Test
  void aLogLinesMessageAndErrorAreMasked() {
    ErrorInfo error = new ErrorInfo("java.lang.IllegalStateException", "card " + CARD + " declined",
        "java.lang.IllegalStateException: card " + CARD + " declined\n\tat x.Y(Y.java:1)\n"
            + "Caused by: java.lang.IllegalArgumentException: token " + JWT + "\n");
    StringBuilder message = new StringBuilder("verified ada with ").append(JWT).append(", charged ").append(CARD);

    writer.log(1, 2, 3, 10, (byte) 3, "pay.Charges", "main", message, error);

    Log log = (Log) Decoded.decode(recorder.read(1, 2, 0).get(0));
    assertThat(log.message()).isEqualTo("verified ada with " + MASK + ", charged " + MASK);
    assertThat(log.logger()).isEqualTo("pay.Charges");
    assertThat(log.error()).isEqualTo(new Err("java.lang.IllegalStateException", "card " + MASK + " declined",
        "java.lang.IllegalStateException: card " + MASK + " declined\n\tat x.Y(Y.java:1)\n"
            + "Caused by: java.lang.IllegalArgumentException: token " + MASK + "\n"));
    assertThat(message).as("the caller's buffer is not touched").contains(JWT);
  }

  @Test
  void aLineWithoutSecretsIsRecordedAsWritten() {
    String text = "order 1764763200000 for é 12 items, eyes open";
    writer.log(1, 2, 3, 10, (byte) 3, "l", "t", text, null);

    assertThat(((Log) Decoded.decode(recorder.read(1, 2, 0).get(0))).message()).isEqualTo(text);
  }

  @Test
  void anExchangesErrorAndASpansAttributesAndErrorsAreMasked() {
    writer.exchange(1, 2, 3, 0, 5, (byte) 1, 0, "GET", "http://h/x", "java.io.IOException: refused " + JWT,
        new String[0], 0, null, 0, 0, new String[0], 0, null, 0, 0);
    writer.spanEnd(1, 2, 3, 0, (byte) 1, (byte) 2, 0, 9, "charge", new Object[] {"card", CARD, "n", 5L}, 2,
        new ErrorInfo("E", "pan " + CARD, null), new ErrorInfo[0], 0, null, 0);

    List<byte[]> records = recorder.read(1, 2, 0);
    SpanEnd end = (SpanEnd) Decoded.decode(records.get(0));
    Exchange exchange = (Exchange) Decoded.decode(records.get(1));
    assertThat(exchange.error()).isEqualTo("java.io.IOException: refused " + MASK);
    assertThat(end.attributes()).containsExactly("card", MASK, "n", "5");
    assertThat(end.error()).isEqualTo(new Err("E", "pan " + MASK, null));
  }

  @Test
  void aMessageCutAtTheLimitIsMaskedWithinWhatIsKept() {
    String text = "x".repeat(RecordWriter.MAX_TEXT - 40) + " " + CARD + " " + "y".repeat(100);
    writer.log(1, 2, 3, 10, (byte) 3, "l", "t", text, null);

    String kept = ((Log) Decoded.decode(recorder.read(1, 2, 0).get(0))).message();
    assertThat(kept).doesNotContain(CARD).contains(MASK).startsWith("xxx");
  }
}
