package io.mintaro.okhttp;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Builds OkHttp clients whose calls, synchronous or asynchronous, carry the current trace and
 * are recorded:
 *
 * <pre>{@code
 * OkHttpClient http = MintaroOkHttp.client(new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(5)));
 * }</pre>
 *
 * It adds a {@link MintaroInterceptor} as the last application interceptor, and an event
 * listener that notes the trace current where each call is started, so that {@code enqueue()}d
 * calls are recorded in their caller's trace even though OkHttp runs them on its own threads.
 * The application's own event listeners keep receiving every event.
 *
 * <p>The application's {@code Callback} runs on OkHttp's threads outside the trace, as with
 * any executor; bind work to it with {@link Mintaro#wrap(Runnable)} where the call is made.
 */
public final class MintaroOkHttp {
  private MintaroOkHttp() {}

  /** Builds {@code builder}'s client with Mintaro installed, recording into the global SDK. */
  public static OkHttpClient client(OkHttpClient.Builder builder) {
    return client(builder, null);
  }

  /** Builds {@code builder}'s client with Mintaro installed; calls outside any trace start one in {@code sdk}. */
  public static OkHttpClient client(OkHttpClient.Builder builder, MintaroSdk sdk) {
    return wrap(builder.build(), sdk);
  }

  /**
   * A copy of {@code client} with Mintaro installed, sharing its connection pool, dispatcher
   * and everything else. A client that already has it is returned as it is.
   */
  public static OkHttpClient wrap(OkHttpClient client) {
    return wrap(client, null);
  }

  private static OkHttpClient wrap(OkHttpClient client, MintaroSdk sdk) {
    boolean intercepted = false;
    for (Interceptor interceptor : client.interceptors()) {
      intercepted |= interceptor instanceof MintaroInterceptor;
    }
    EventListener.Factory listeners = client.eventListenerFactory();
    boolean listening = listeners instanceof ContextCapture;
    if (intercepted && listening) {
      return client;
    }
    OkHttpClient.Builder builder = client.newBuilder();
    if (!intercepted) {
      builder.addInterceptor(new MintaroInterceptor(sdk));
    }
    if (!listening) {
      builder.eventListenerFactory(new ContextCapture(listeners));
    }
    return builder.build();
  }

  /** The application's event listeners, plus the one that notes each call's trace. */
  private static final class ContextCapture implements EventListener.Factory {
    private final EventListener.Factory delegate;

    ContextCapture(EventListener.Factory delegate) {
      this.delegate = delegate;
    }

    @Override
    public EventListener create(Call call) {
      return delegate.create(call).plus(CallContext.LISTENER); // no listener of its own: no copy
    }
  }
}
