package io.mintaro.internal.recorder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test-side decoding of ring records into value objects, so that assertions can compare whole
 * records. Decoding follows the layout that {@link RecordWriter} documents field by field; it
 * throws {@link AssertionError} when a record does not decode to exactly its declared size.
 */
final class Decoded {
  private Decoded() {}

  /** Fields every record carries in its header. */
  record Header(byte type, long position, long traceHi, long traceLo, long spanId, long timeUs) {}

  record Err(String type, String message, String stack) {
    static Err of(ErrorInfo e) {
      return e == null ? null : new Err(e.type, e.message, e.stack);
    }
  }

  record SpanStart(Header header, long parentId, byte kind, String name) {}

  record SpanEnd(Header header, long parentId, byte kind, byte status, long startUs, String name,
      List<String> attributes, Err error, List<Err> handled) {}

  record Log(Header header, byte level, String logger, String thread, String message, Err error) {}

  record Body(byte[] bytes, long totalSize) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Body b && Arrays.equals(bytes, b.bytes) && totalSize == b.totalSize;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes) * 31 + Long.hashCode(totalSize);
    }

    @Override
    public String toString() {
      return "Body[" + bytes.length + " of " + totalSize + "]";
    }
  }

  record Exchange(Header header, byte direction, int status, long durationUs, String method, String url,
      String error, List<String> requestHeaders, Body requestBody, List<String> responseHeaders,
      Body responseBody) {}

  record Breadcrumb(Header header, byte role, String agentId, String authority) {}

  static Header header(byte[] record) {
    RecordReader r = new RecordReader(record);
    return new Header(r.type(), r.position(), r.traceHi(), r.traceLo(), r.spanId(), r.timeUs());
  }

  /** Decodes one record; its type decides the result's class. */
  static Object decode(byte[] record) {
    RecordReader r = new RecordReader(record);
    Header h = header(record);
    Object result;
    switch (r.type()) {
      case RecordType.SPAN_START:
        result = new SpanStart(h, r.readLong(), r.readByte(), r.readString());
        break;
      case RecordType.SPAN_END: {
        long parent = r.readLong();
        byte kind = r.readByte();
        byte status = r.readByte();
        long start = r.readLong();
        String name = r.readString();
        int count = r.readInt();
        List<String> attributes = new ArrayList<>();
        for (int i = 0; i < count * 2; i++) {
          attributes.add(r.readString());
        }
        Err error = Err.of(r.readError());
        int handledCount = r.readInt();
        List<Err> handled = new ArrayList<>();
        for (int i = 0; i < handledCount; i++) {
          handled.add(Err.of(r.readError()));
        }
        result = new SpanEnd(h, parent, kind, status, start, name, attributes, error, handled);
        break;
      }
      case RecordType.LOG:
        result = new Log(h, r.readByte(), r.readString(), r.readString(), r.readString(),
            Err.of(r.readError()));
        break;
      case RecordType.EXCHANGE: {
        byte direction = r.readByte();
        int status = r.readInt();
        long duration = r.readLong();
        String method = r.readString();
        String url = r.readString();
        String error = r.readString();
        List<String> requestHeaders = headers(r);
        Body requestBody = body(r.readBody());
        List<String> responseHeaders = headers(r);
        Body responseBody = body(r.readBody());
        result = new Exchange(h, direction, status, duration, method, url, error, requestHeaders,
            requestBody, responseHeaders, responseBody);
        break;
      }
      case RecordType.BREADCRUMB:
        result = new Breadcrumb(h, r.readByte(), r.readString(), r.readString());
        break;
      default:
        throw new AssertionError("unknown record type " + r.type());
    }
    int size = Bytes.getInt(record, FlightRecorder.OFF_SIZE);
    if (size != record.length) {
      throw new AssertionError("record says it is " + size + " bytes but " + record.length + " were read");
    }
    return result;
  }

  private static List<String> headers(RecordReader r) {
    int count = r.readInt();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count * 2; i++) {
      out.add(r.readString());
    }
    return out;
  }

  private static Body body(RecordReader.Body b) {
    return new Body(b.bytes, b.totalSize);
  }
}
