package io.mintaro.opentelemetry;

import io.mintaro.Span;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What Mintaro reads from OpenTelemetry's semantic conventions: exceptions, and the HTTP exchange
 * of a client or server span (current names first, then the names instrumentation used before 1.20).
 */
final class Semconv {
  static final String EXCEPTION_EVENT = "exception";
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> OLD_METHOD = AttributeKey.stringKey("http.method");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<Long> OLD_STATUS = AttributeKey.longKey("http.status_code");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<String> OLD_URL = AttributeKey.stringKey("http.url");
  private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  private static final AttributeKey<String> OLD_TARGET = AttributeKey.stringKey("http.target");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final String REQUEST_HEADER = "http.request.header.";
  private static final String RESPONSE_HEADER = "http.response.header.";

  private Semconv() {}

  /** The exchange a span describes, as far as its attributes tell. */
  static final class Http {
    final String method;
    final String url;
    final int status;
    final String error;
    /** The {@code host:port} that was called (client) or by which this process was called (server). */
    final String authority;
    final String[] requestHeaders;
    final String[] responseHeaders;

    Http(String method, String url, int status, String error, String authority, String[] requestHeaders,
        String[] responseHeaders) {
      this.method = method;
      this.url = url;
      this.status = status;
      this.error = error;
      this.authority = authority;
      this.requestHeaders = requestHeaders;
      this.responseHeaders = responseHeaders;
    }
  }

  /** Null unless the span is an HTTP client or server span. */
  static Http http(Attributes a, Span.Kind kind) {
    if (kind == Span.Kind.INTERNAL) {
      return null;
    }
    String method = first(a.get(METHOD), a.get(OLD_METHOD));
    if (method == null) {
      return null;
    }
    Long status = a.get(STATUS);
    if (status == null) {
      status = a.get(OLD_STATUS);
    }
    String host = a.get(SERVER_ADDRESS);
    Long port = a.get(SERVER_PORT);
    String url;
    if (kind == Span.Kind.CLIENT) {
      url = first(a.get(URL_FULL), a.get(OLD_URL));
    } else {
      String scheme = first(a.get(URL_SCHEME), "http");
      String target = a.get(URL_PATH) != null
          ? a.get(URL_PATH) + (a.get(URL_QUERY) == null ? "" : "?" + a.get(URL_QUERY))
          : a.get(OLD_TARGET);
      url = host == null ? target : scheme + "://" + hostPort(host, port) + (target == null ? "" : target);
    }
    String authority = host != null ? hostPort(host, port) : authorityOf(url);
    int code = status == null ? 0 : (int) Math.max(0, Math.min(status, 999));
    return new Http(method, url, code, code == 0 ? a.get(ERROR_TYPE) : null,
        authority, headers(a, REQUEST_HEADER), headers(a, RESPONSE_HEADER));
  }

  private static String hostPort(String host, Long port) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host; // IPv6
    return port == null ? h : h + ":" + port;
  }

  private static String authorityOf(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        return null;
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return uri.getHost() + ":" + port;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Captured headers ({@code http.request.header.<name>}, a list of values) as name/value pairs. */
  private static String[] headers(Attributes attributes, String prefix) {
    List<String> pairs = new ArrayList<>();
    attributes.forEach((key, value) -> {
      if (key.getKey().startsWith(prefix)) {
        String name = key.getKey().substring(prefix.length());
        if (value instanceof List<?> values) {
          for (Object v : values) {
            pairs.add(name);
            pairs.add(String.valueOf(v));
          }
        } else {
          pairs.add(name);
          pairs.add(String.valueOf(value));
        }
      }
    });
    return pairs.isEmpty() ? null : pairs.toArray(new String[0]);
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
