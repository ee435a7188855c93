package io.mintaro.apache.httpclient;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * Installs Mintaro in Apache HttpClient 5, classic or async: every call carries the current
 * trace to the server it calls and is recorded as a client span with its exchange, bodies
 * included.
 *
 * <pre>{@code
 * CloseableHttpClient http = MintaroHttpClient5.classic(HttpClients.custom()).build();
 * CloseableHttpAsyncClient async = MintaroHttpClient5.async(HttpAsyncClients.custom()).build();
 * }</pre>
 *
 * Mintaro goes first in the exec chain, so one span covers the whole logical call, redirects
 * and retries included: the request is recorded as the application made it, the response as the
 * application reads it (decompressed when HttpClient did the compression). A classic response
 * is recorded when its body has been read to the end or closed, or when the response is closed;
 * an async one when its body has been consumed. Install it once per builder.
 */
public final class MintaroHttpClient5 {
  /** The name Mintaro's handler has in the exec chain. */
  public static final String NAME = "mintaro";

  private MintaroHttpClient5() {}

  /** Adds Mintaro to {@code builder}, recording into the global {@link Mintaro#sdk()}; returns it. */
  public static HttpClientBuilder classic(HttpClientBuilder builder) {
    return classic(builder, null);
  }

  /** Adds Mintaro to {@code builder}; calls made outside any trace start one in {@code sdk}. */
  public static HttpClientBuilder classic(HttpClientBuilder builder, MintaroSdk sdk) {
    return builder.addExecInterceptorFirst(NAME, execChainHandler(sdk));
  }

  /** Adds Mintaro to {@code builder}, recording into the global {@link Mintaro#sdk()}; returns it. */
  public static HttpAsyncClientBuilder async(HttpAsyncClientBuilder builder) {
    return async(builder, null);
  }

  /** Adds Mintaro to {@code builder}; calls made outside any trace start one in {@code sdk}. */
  public static HttpAsyncClientBuilder async(HttpAsyncClientBuilder builder, MintaroSdk sdk) {
    return builder.addExecInterceptorFirst(NAME, asyncExecChainHandler(sdk));
  }

  /**
   * The classic handler, for builders of other shapes: add it first in their exec chain.
   * {@code sdk} may be null for the global one.
   */
  public static ExecChainHandler execChainHandler(MintaroSdk sdk) {
    return new ClassicHandler(sdk);
  }

  /**
   * The async handler, for builders of other shapes ({@code H2AsyncClientBuilder}): add it first
   * in their exec chain. {@code sdk} may be null for the global one.
   */
  public static AsyncExecChainHandler asyncExecChainHandler(MintaroSdk sdk) {
    return new AsyncHandler(sdk);
  }
}
