package io.mintaro.test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP exchange as recorded: {@code inbound} (this process served it) or {@code outbound}
 * (this process called out). Header values and bodies are as stored, after redaction; a body is
 * the kept prefix, with the size of the whole and whether it was cut. A body that is not UTF-8
 * text is kept as base64 ({@link #requestBodyBytes()} decodes either).
 */
public record RecordedExchange(String spanId, String direction, String method, String url, int status,
    long durationUs, String error, List<Header> requestHeaders, String requestBody,
    boolean requestBodyBase64, long requestBodySize, boolean requestBodyTruncated,
    List<Header> responseHeaders, String responseBody, boolean responseBodyBase64, long responseBodySize,
    boolean responseBodyTruncated) {

  /** The first recorded value of a request header, by case-insensitive name; null when absent. */
  public String requestHeader(String name) {
    return first(requestHeaders, name);
  }

  /** Every recorded value of a request header, in order. */
  public List<String> requestHeaders(String name) {
    return all(requestHeaders, name);
  }

  /** The first recorded value of a response header, by case-insensitive name; null when absent. */
  public String responseHeader(String name) {
    return first(responseHeaders, name);
  }

  /** Every recorded value of a response header, in order. */
  public List<String> responseHeaders(String name) {
    return all(responseHeaders, name);
  }

  /** The kept request body as bytes. */
  public byte[] requestBodyBytes() {
    return bytes(requestBody, requestBodyBase64);
  }

  /** The kept response body as bytes. */
  public byte[] responseBodyBytes() {
    return bytes(responseBody, responseBodyBase64);
  }

  private static byte[] bytes(String body, boolean base64) {
    if (body == null) {
      return new byte[0];
    }
    return base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
  }

  private static String first(List<Header> headers, String name) {
    List<String> values = all(headers, name);
    return values.isEmpty() ? null : values.get(0);
  }

  private static List<String> all(List<Header> headers, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return headers.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(n)).map(Header::value).toList();
  }
}
