package io.mintaro.internal.agent;

import io.mintaro.internal.Core;
import io.mintaro.internal.LogLevels;
import io.mintaro.internal.context.Ids;
import io.mintaro.internal.json.JsonWriter;
import io.mintaro.internal.recorder.ErrorInfo;
import io.mintaro.internal.recorder.RecordReader;
import io.mintaro.internal.recorder.RecordType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns ring records of one trace into the {@code traces[]} entry of protocol v1. */
public final class BatchEncoder {
  private BatchEncoder() {}

  /** @param records newest first, as {@code FlightRecorder.read} returns them */
  public static void writeTrace(JsonWriter w, String traceId, boolean reply, List<byte[]> records) {
    Map<Long, RecordReader> spans = new LinkedHashMap<>();
    List<RecordReader> messages = new ArrayList<>();
    List<RecordReader> logs = new ArrayList<>();
    List<RecordReader> breadcrumbs = new ArrayList<>();
    for (int i = records.size() - 1; i >= 0; i--) {
      RecordReader r = new RecordReader(records.get(i));
      switch (r.type()) {
        case RecordType.SPAN_START:
          spans.putIfAbsent(r.spanId(), r);
          break;
        case RecordType.SPAN_END:
          spans.put(r.spanId(), r); // the finished span replaces its start
          break;
        case RecordType.EXCHANGE: messages.add(r); break;
        case RecordType.LOG: logs.add(r); break;
        case RecordType.BREADCRUMB: breadcrumbs.add(r); break;
        default: break;
      }
    }
    w.beginObject().name("traceId").value(traceId).name("reply").value(reply);
    w.name("spans").beginArray();
    for (RecordReader r : spans.values()) {
      span(w, r);
    }
    w.endArray().name("messages").beginArray();
    for (RecordReader r : messages) {
      message(w, r);
    }
    w.endArray().name("logs").beginArray();
    for (RecordReader r : logs) {
      log(w, r);
    }
    w.endArray().name("breadcrumbs").beginArray();
    for (RecordReader r : breadcrumbs) {
      breadcrumb(w, r);
    }
    w.endArray().endObject();
  }

  private static void span(JsonWriter w, RecordReader r) {
    boolean ended = r.type() == RecordType.SPAN_END;
    long parent = r.readLong();
    byte kind = r.readByte();
    w.beginObject().name("spanId").value(Ids.hex(r.spanId()));
    w.name("parentSpanId");
    if (parent == 0) {
      w.nullValue();
    } else {
      w.value(Ids.hex(parent));
    }
    w.name("kind").value(kind == Core.KIND_SERVER ? "server" : kind == Core.KIND_CLIENT ? "client" : "internal");
    if (!ended) {
      w.name("name").value(r.readString());
      w.name("status").value("started").name("startUs").value(r.timeUs()).name("endUs").nullValue();
      w.name("attributes").beginObject().endObject().name("error").nullValue();
      w.name("handledErrors").beginArray().endArray().endObject();
      return;
    }
    byte status = r.readByte();
    long start = r.readLong();
    w.name("name").value(r.readString());
    w.name("status").value(status == Core.STATUS_FAILED ? "failed" : "succeeded");
    w.name("startUs").value(start).name("endUs").value(r.timeUs());
    int attributes = r.readInt();
    String[] keys = new String[attributes];
    String[] values = new String[attributes];
    for (int i = 0; i < attributes; i++) {
      String key = r.readString();
      keys[i] = key == null ? "" : key;
      values[i] = r.readString();
    }
    w.name("attributes").beginObject();
    for (int i = 0; i < attributes; i++) {
      if (!setAgain(keys, i)) { // the span keeps every value it was given; the last one wins
        w.name(keys[i]).value(values[i]);
      }
    }
    w.endObject();
    w.name("error");
    error(w, r.readError());
    int handled = r.readInt();
    w.name("handledErrors").beginArray();
    for (int i = 0; i < handled; i++) {
      error(w, r.readError());
    }
    w.endArray();
    int events = r.readInt();
    if (events > 0) { // optional in protocol v1: absent means none
      w.name("events").beginArray();
      for (int i = 0; i < events; i++) {
        w.beginObject().name("timeUs").value(r.readLong()).name("name").value(nonNull(r.readString()));
        int pairs = r.readInt();
        w.name("attributes").beginObject();
        for (int j = 0; j < pairs; j++) {
          String key = r.readString();
          w.name(key == null ? "" : key).value(r.readString());
        }
        w.endObject().endObject();
      }
      w.endArray();
    }
    w.endObject();
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  private static void message(JsonWriter w, RecordReader r) {
    byte direction = r.readByte();
    int status = r.readInt();
    long duration = r.readLong();
    w.beginObject().name("seq").value(r.position()).name("spanId").value(Ids.hex(r.spanId()));
    w.name("direction").value(direction == Core.DIRECTION_INBOUND ? "inbound" : "outbound");
    w.name("method").value(r.readString());
    w.name("url").value(r.readString());
    String error = r.readString();
    w.name("status").value(status).name("startUs").value(r.timeUs()).name("durationUs").value(duration);
    w.name("requestHeaders");
    headers(w, r);
    body(w, "request", r.readBody());
    w.name("responseHeaders");
    headers(w, r);
    body(w, "response", r.readBody());
    w.name("error").value(error);
    w.endObject();
  }

  private static void headers(JsonWriter w, RecordReader r) {
    int count = r.readInt();
    w.beginArray();
    for (int i = 0; i < count; i++) {
      String name = r.readString();
      w.beginArray().value(name == null ? null : name.toLowerCase(Locale.ROOT)).value(r.readString()).endArray();
    }
    w.endArray();
  }

  private static void body(JsonWriter w, String prefix, RecordReader.Body body) {
    String text = utf8(body.bytes);
    if (text != null) {
      w.name(prefix + "Body").value(text).name(prefix + "BodyEncoding").value("utf8");
    } else {
      w.name(prefix + "Body").value(Base64.getEncoder().encodeToString(body.bytes))
          .name(prefix + "BodyEncoding").value("base64");
    }
    w.name(prefix + "BodySize").value(body.totalSize).name(prefix + "BodyTruncated").value(body.truncated());
  }

  /** Strict UTF-8 decoding, tolerating one character cut at the end by truncation. */
  private static String utf8(byte[] bytes) {
    for (int cut = 0; cut < 4 && cut <= bytes.length; cut++) {
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, 0, bytes.length - cut)).toString();
      } catch (CharacterCodingException e) {
        // try again without a possibly cut last character
      }
    }
    return null;
  }

  private static void log(JsonWriter w, RecordReader r) {
    byte level = r.readByte();
    w.beginObject().name("seq").value(r.position()).name("spanId").value(Ids.hex(r.spanId()));
    w.name("timeUs").value(r.timeUs()).name("level").value(LogLevels.name(level));
    w.name("logger").value(r.readString()).name("thread").value(r.readString());
    w.name("message").value(r.readString()).name("error");
    error(w, r.readError());
    w.endObject();
  }

  private static void breadcrumb(JsonWriter w, RecordReader r) {
    byte role = r.readByte();
    w.beginObject().name("role").value(role == Core.ROLE_CALLER ? "caller" : "callee");
    w.name("agentId").value(r.readString()).name("authority").value(r.readString());
    w.name("spanId").value(Ids.hex(r.spanId())).endObject();
  }

  private static void error(JsonWriter w, ErrorInfo e) {
    if (e == null) {
      w.nullValue();
      return;
    }
    w.beginObject().name("type").value(e.type).name("message").value(e.message)
        .name("stack").value(e.stack).endObject();
  }

  private static boolean setAgain(String[] keys, int i) {
    for (int j = i + 1; j < keys.length; j++) {
      if (keys[j].equals(keys[i])) {
        return true;
      }
    }
    return false;
  }
}
