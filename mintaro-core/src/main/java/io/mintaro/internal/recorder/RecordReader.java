package io.mintaro.internal.recorder;

import static io.mintaro.internal.recorder.FlightRecorder.HEADER_SIZE;

import java.nio.charset.StandardCharsets;

/** Reads one record copied out of the ring by {@link FlightRecorder#read}, field by field. */
public final class RecordReader {
  private final byte[] record;
  private int p = HEADER_SIZE;

  public RecordReader(byte[] record) {
    this.record = record;
  }

  public byte type() {
    return record[FlightRecorder.OFF_TYPE];
  }

  /** Absolute ring position: unique and increasing per process, so it serves as a sequence. */
  public long position() {
    return Bytes.getLong(record, FlightRecorder.OFF_POS);
  }

  public long traceHi() {
    return Bytes.getLong(record, FlightRecorder.OFF_TRACE_HI);
  }

  public long traceLo() {
    return Bytes.getLong(record, FlightRecorder.OFF_TRACE_LO);
  }

  public long spanId() {
    return Bytes.getLong(record, FlightRecorder.OFF_SPAN);
  }

  public long timeUs() {
    return Bytes.getLong(record, FlightRecorder.OFF_TIME);
  }

  public byte readByte() {
    return record[p++];
  }

  public int readInt() {
    int v = Bytes.getInt(record, p);
    p += 4;
    return v;
  }

  public long readLong() {
    long v = Bytes.getLong(record, p);
    p += 8;
    return v;
  }

  public String readString() {
    int len = readInt();
    if (len < 0) {
      return null;
    }
    String s = new String(record, p, len, StandardCharsets.UTF_8);
    p += len;
    return s;
  }

  public ErrorInfo readError() {
    if (readByte() == 0) {
      return null;
    }
    return new ErrorInfo(readString(), readString(), readString());
  }

  /** Reads a body written as total size, kept length, bytes. */
  public Body readBody() {
    long total = readLong();
    int len = readInt();
    byte[] bytes = new byte[len];
    System.arraycopy(record, p, bytes, 0, len);
    p += len;
    return new Body(bytes, total);
  }

  /** A captured body: the kept bytes and the size of the whole. */
  public static final class Body {
    public final byte[] bytes;
    public final long totalSize;

    Body(byte[] bytes, long totalSize) {
      this.bytes = bytes;
      this.totalSize = totalSize;
    }

    public boolean truncated() {
      return totalSize > bytes.length;
    }
  }
}
