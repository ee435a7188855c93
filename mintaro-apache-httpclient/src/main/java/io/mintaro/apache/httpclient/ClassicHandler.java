package io.mintaro.apache.httpclient;

import io.mintaro.MintaroSdk;
import java.io.IOException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
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
      } else {
        response.setEntity(new TeeResponseEntity(body, recording));
      }
    } catch (RuntimeException e) {
      recording.finish(null);
    }
    return response;
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
