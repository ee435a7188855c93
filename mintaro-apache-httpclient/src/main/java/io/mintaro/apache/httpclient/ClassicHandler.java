package io.mintaro.apache.httpclient;

import io.mintaro.MintaroSdk;
import java.io.IOException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * The classic client's exec chain handler, first in the chain: one client span per logical call,
 * redirects and retries inside it.
 */
final class ClassicHandler implements ExecChainHandler {
  private final MintaroSdk sdk;

  ClassicHandler(MintaroSdk sdk) {
    this.sdk = sdk;
  }

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
      throws IOException, HttpException {
    HttpEntity entity = request.getEntity();
    Recording recording = Recording.start(sdk, request, entity == null ? null : contentType(entity));
    if (recording == null) {
      return chain.proceed(request, scope);
    }
    ExecChain.Scope traced = traced(request, entity, scope, recording);
    ClassicHttpResponse response;
    try {
      response = chain.proceed(request, traced);
    } catch (IOException | HttpException | RuntimeException | Error e) {
      recording.finish(e);
      throw e;
    }
    recording.response(response);
    try {
      HttpEntity body = response.getEntity();
      if (body == null) {
        recording.finish(null);
        return response;
      }
      response.setEntity(new TeeResponseEntity(body, recording));
      return closing(response, recording);
    } catch (RuntimeException e) {
      recording.finish(null);
      return response;
    }
  }

  private static volatile boolean canDecorateClose = true;

  /**
   * The response, ending the exchange when the application closes it in any mode. Closing
   * gracefully closes the entity, which ends it anyway; {@code close(CloseMode.IMMEDIATE)} only
   * drops the connection. {@code CloseableHttpResponse.create} is HttpClient's (5.5+) way to
   * decorate that close; where it is missing, such a response ends its exchange on a failed read.
   */
  private static ClassicHttpResponse closing(ClassicHttpResponse response, Recording recording) {
    if (!(response instanceof CloseableHttpResponse) || !canDecorateClose) {
      return response;
    }
    CloseableHttpResponse closeable = (CloseableHttpResponse) response;
    try {
      return CloseableHttpResponse.create(closeable, (ignored, mode) -> {
        recording.finish(null);
        closeable.close(mode);
      });
    } catch (LinkageError e) {
      canDecorateClose = false;
      return response;
    }
  }

  private static String contentType(HttpEntity entity) {
    try {
      return entity.getContentType();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Tees the request entity, and hands the chain a scope whose original request carries the
   * trace headers and the teed entity too: redirects and retries further down copy the original
   * request, not the one they were given.
   */
  private static ExecChain.Scope traced(ClassicHttpRequest request, HttpEntity entity, ExecChain.Scope scope,
      Recording recording) {
    try {
      if (entity != null) {
        request.setEntity(new TeeRequestEntity(entity, recording.requestBody()));
      }
      return new ExecChain.Scope(scope.exchangeId, scope.route, ClassicRequestBuilder.copy(request).build(),
          scope.execRuntime, scope.clientContext);
    } catch (RuntimeException e) {
      request.setEntity(entity);
      return scope;
    }
  }
}
