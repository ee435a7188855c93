package io.mintaro.http;

import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.context.TraceContext;
import io.mintaro.internal.recorder.RecordWriter;
import io.mintaro.internal.redaction.Redactor;
import java.util.Arrays;

/** What both sides of an exchange accumulate before it is written as one record. */
final class ExchangeData {
  final Core core;
  final RecordingSpan span;
  final String method;
  final String url;
  final BodyCapture requestBody;
  final BodyCapture responseBody;
  private String[] requestHeaders = new String[16];
  private int requestHeaderCount;
  private String[] responseHeaders = new String[16];
  private int responseHeaderCount;
  private String requestContentType;
  private String responseContentType;
  int status;
  Throwable error;
  /** The last exception handled inside the exchange, by the application or its framework. */
  Throwable handledError;

  ExchangeData(Core core, RecordingSpan span, String method, String url) {
    this.core = core;
    this.span = span;
    this.method = method;
    this.url = core.redactor().url(url);
    int limit = core.settings().maxBodySize;
    this.requestBody = new BodyCapture(limit);
    this.responseBody = new BodyCapture(limit);
  }

  void requestHeader(String name, String value) {
    if (name == null || requestHeaderCount >= RecordWriter.MAX_HEADERS) {
      return;
    }
    if (name.equalsIgnoreCase("content-type")) {
      requestContentType = value;
    }
    requestHeaders = add(requestHeaders, requestHeaderCount++, name, core.redactor().header(name, value));
  }

  void responseHeader(String name, String value) {
    if (name == null || responseHeaderCount >= RecordWriter.MAX_HEADERS) {
      return;
    }
    if (name.equalsIgnoreCase("content-type")) {
      responseContentType = value;
    }
    responseHeaders = add(responseHeaders, responseHeaderCount++, name, core.redactor().header(name, value));
  }

  private static String[] add(String[] headers, int index, String name, String value) {
    if (index * 2 + 2 > headers.length) {
      headers = Arrays.copyOf(headers, headers.length * 2);
    }
    headers[index * 2] = name; // lowercased when the trace is sent, not on the request's thread
    headers[index * 2 + 1] = value;
    return headers;
  }

  /** A 5xx answer without an exception still fails the span, named by what was asked. */
  void failSpanOnServerError(String what) {
    if (status >= 500 && error == null) {
      if (handledError != null) {
        span.fail(handledError);
      } else {
        span.failWith("HTTP " + status, method + " " + what);
      }
    }
  }

  void write(byte direction, long durationUs) {
    Redactor redactor = core.redactor();
    byte[] req = redactor.body(requestBody.bytes(), requestBody.length(), requestContentType);
    int reqLen = req == requestBody.bytes() ? requestBody.length() : req.length;
    byte[] resp = redactor.body(responseBody.bytes(), responseBody.length(), responseContentType);
    int respLen = resp == responseBody.bytes() ? responseBody.length() : resp.length;
    TraceContext ctx = span.context();
    String errorText = error == null ? null : error.getClass().getName() + ": " + error.getMessage();
    core.writer().exchange(ctx.traceHi, ctx.traceLo, ctx.spanId, span.startMicros(), durationUs,
        direction, status, method, url, errorText, requestHeaders, requestHeaderCount, req, reqLen,
        fullSize(requestBody, reqLen), responseHeaders, responseHeaderCount, resp, respLen,
        fullSize(responseBody, respLen));
  }

  /**
   * The full size of the body as recorded: redaction may have made the kept part longer or
   * shorter, so the size moves with it. A body is then reported truncated (full size larger than
   * what is kept) only when it was cut.
   */
  private static long fullSize(BodyCapture body, int recordedLength) {
    return Math.max(body.total() + recordedLength - body.length(), recordedLength);
  }
}
