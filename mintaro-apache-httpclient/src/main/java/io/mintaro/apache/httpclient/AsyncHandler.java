package io.mintaro.apache.httpclient;

import io.mintaro.MintaroSdk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.support.BasicRequestBuilder;

/**
 * The async client's exec chain handler, first in the chain: one client span per logical call,
 * redirects and retries inside it. HttpClient runs the chain's start on the thread that called
 * {@code execute}, so the exchange starts in that thread's trace; everything after runs on I/O
 * threads and only feeds the exchange it started.
 */
final class AsyncHandler implements AsyncExecChainHandler {
  private final MintaroSdk sdk;

  AsyncHandler(MintaroSdk sdk) {
    this.sdk = sdk;
  }

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
      AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
    Recording recording = Recording.start(sdk, request,
        entityProducer == null ? null : contentType(entityProducer));
    if (recording == null) {
      chain.proceed(request, entityProducer, scope, callback);
      return;
    }
    AsyncEntityProducer producer = entityProducer;
    AsyncExecChain.Scope traced = scope;
    AsyncExecCallback recorded = callback;
    try {
      if (entityProducer != null) {
        producer = new TeeEntityProducer(entityProducer, recording.requestBody());
      }
      // redirects and retries further down copy the original request, not the one they were given
      traced = new AsyncExecChain.Scope(scope.exchangeId, scope.route, BasicRequestBuilder.copy(request).build(),
          scope.cancellableDependency, scope.clientContext, scope.execRuntime, scope.scheduler, scope.execCount);
      recorded = new RecordingCallback(callback, recording);
    } catch (RuntimeException e) {
      recording.finish(null);
      producer = entityProducer;
      traced = scope;
      recorded = callback;
    }
    try {
      chain.proceed(request, producer, traced, recorded);
    } catch (HttpException | IOException | RuntimeException | Error e) {
      recording.finish(e);
      throw e;
    }
  }

  private static String contentType(AsyncEntityProducer producer) {
    try {
      return producer.getContentType();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Records the response and hands the application's consumer a teed copy of its body. */
  private static final class RecordingCallback implements AsyncExecCallback {
    private final AsyncExecCallback delegate;
    private final Recording recording;

    RecordingCallback(AsyncExecCallback delegate, Recording recording) {
      this.delegate = delegate;
      this.recording = recording;
    }

    @Override
    public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
        throws HttpException, IOException {
      recording.response(response);
      if (entityDetails == null) {
        // done before the application's consumer completes its future with the answer
        recording.finish(null);
        return delegate.handleResponse(response, null);
      }
      AsyncDataConsumer consumer;
      try {
        consumer = delegate.handleResponse(response, entityDetails);
      } catch (HttpException | IOException | RuntimeException | Error e) {
        recording.finish(e);
        throw e;
      }
      return consumer == null ? null : new TeeDataConsumer(consumer, recording);
    }

    @Override
    public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
      delegate.handleInformationResponse(response);
    }

    @Override
    public void completed() {
      recording.finish(null);
      delegate.completed();
    }

    @Override
    public void failed(Exception cause) {
      recording.finish(cause); // refused, timed out, cancelled, or the connection broke mid-body
      delegate.failed(cause);
    }
  }

  /** Passes the body on unchanged, keeping a copy of the first bytes. */
  private static final class TeeDataConsumer implements AsyncDataConsumer {
    private final AsyncDataConsumer delegate;
    private final Recording recording;

    TeeDataConsumer(AsyncDataConsumer delegate, Recording recording) {
      this.delegate = delegate;
      this.recording = recording;
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
      delegate.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
      recording.read(src);
      delegate.consume(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
      recording.finish(null); // before the application's consumer completes its future
      delegate.streamEnd(trailers);
    }

    @Override
    public void releaseResources() {
      // not the end of the exchange: on failure HttpClient releases the consumer before it
      // reports why, and the exchange ends with the reason
      delegate.releaseResources();
    }
  }
}
