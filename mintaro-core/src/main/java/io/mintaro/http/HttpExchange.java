package io.mintaro.http;

/**
 * What both sides of an HTTP exchange are fed by an integration: headers, bodies, the status,
 * and the exception that ended it. {@link ServerExchange} and {@link ClientExchange} add what is
 * particular to each side. Not thread-safe; never throws.
 */
public abstract sealed class HttpExchange implements AutoCloseable permits ServerExchange, ClientExchange {
  final ExchangeData data;

  HttpExchange(ExchangeData data) {
    this.data = data;
  }

  /** The trace id: 32 lowercase hex digits. */
  public final String traceId() {
    return data.span.traceId();
  }

  /** Records a request header; secret ones are redacted. */
  public final void requestHeader(String name, String value) {
    data.requestHeader(name, value);
  }

  /** Records a response header; secret ones are redacted. */
  public void responseHeader(String name, String value) {
    data.responseHeader(name, value);
  }

  /** Feed it every request body byte that passes. */
  public final BodyCapture requestBody() {
    return data.requestBody;
  }

  /** Feed it every response body byte that passes. */
  public final BodyCapture responseBody() {
    return data.responseBody;
  }

  public final void status(int status) {
    data.status = status;
  }

  /** Records the exception that ended the exchange: escaped the handler, or no response came. */
  public final void fail(Throwable error) {
    data.error = error;
    data.span.fail(error);
  }

  /**
   * Records an exception that the application or its framework handled while serving or making
   * this call (an MVC exception handler that turned it into an error page, for example): it is
   * kept on the exchange's span, and the span's status follows the response's status.
   */
  public final void recordError(Throwable error) {
    if (error != null) {
      data.handledError = error;
      data.span.recordError(error);
    }
  }

  /** Writes the exchange and ends its span. */
  @Override
  public abstract void close();
}
