package io.mintaro.okhttp;

import io.mintaro.Mintaro;
import java.io.IOException;
import java.util.concurrent.Callable;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The trace that was current where a call was started, kept as a tag on the call. OkHttp tells
 * event listeners {@code callStart} on the thread that calls {@code execute()} or
 * {@code enqueue()}; the interceptor later runs the call in that trace, on whatever thread.
 *
 * <p>Not the dispatcher's executor: OkHttp hands a queued call to it from the thread of another
 * call that just finished, which would put the queued call in the wrong trace.
 */
final class CallContext implements Callable<Response> {
  /** Tags each call with the trace current when it starts. */
  static final EventListener LISTENER = new EventListener() {
    @Override
    public void callStart(Call call) {
      try {
        CallContext context = new CallContext();
        if (context.bound != context) { // a trace is current: Mintaro.wrap bound the task to it
          call.tag(CallContext.class, () -> context);
        }
      } catch (RuntimeException e) {
        // never into the application: the call is recorded in the trace of the thread it runs on
      }
    }
  };

  private final Callable<Response> bound = Mintaro.wrap(this);
  private MintaroInterceptor interceptor;
  private Interceptor.Chain chain;

  static CallContext of(Call call) {
    try {
      return call == null ? null : call.tag(CallContext.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Runs the interceptor in the trace captured when the call started. */
  Response record(MintaroInterceptor interceptor, Interceptor.Chain chain) throws IOException {
    this.interceptor = interceptor;
    this.chain = chain;
    try {
      return bound.call();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e); // unreachable: the interceptor throws only IOException
    } finally {
      this.interceptor = null;
      this.chain = null;
    }
  }

  @Override
  public Response call() throws IOException {
    return interceptor.record(chain);
  }
}
