package io.mintaro;

import io.mintaro.internal.Core;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.context.ContextStorage;

/** Test helpers: SDKs without a collector, and root spans started on them. */
public final class TestSdks {
  private TestSdks() {}

  /** An SDK that records locally only: no agent, no network. */
  public static MintaroSdk local() {
    return MintaroSdk.builder().service("svc").build();
  }

  /**
   * Starts a new trace's root span in {@code sdk} and makes it current, the way a server
   * integration would; {@link Mintaro#startSpan} inside it then uses this SDK, not the global one.
   */
  public static RecordingSpan root(MintaroSdk sdk, String name) {
    return Core.of(sdk).startSpan(name, Core.KIND_INTERNAL, null, 0, null, true);
  }

  /** Forgets whatever context a failed test may have left on this thread. */
  public static void clearContext() {
    ContextStorage.swap(null);
  }
}
