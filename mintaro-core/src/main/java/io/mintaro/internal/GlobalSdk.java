package io.mintaro.internal;

import io.mintaro.MintaroSdk;
import java.util.function.Supplier;

/**
 * Holds the global {@link MintaroSdk} behind {@code Mintaro.sdk()}. Test mode ({@code mintaro-test})
 * replaces it for the length of one test; applications install it once through
 * {@code Mintaro.install}.
 */
public final class GlobalSdk {
  private static final Object LOCK = new Object();
  private static volatile MintaroSdk global;

  private GlobalSdk() {}

  public static MintaroSdk get(Supplier<MintaroSdk> onFirstUse) {
    MintaroSdk sdk = global;
    if (sdk != null) {
      return sdk;
    }
    synchronized (LOCK) {
      if (global == null) {
        global = onFirstUse.get();
      }
      return global;
    }
  }

  public static void install(MintaroSdk sdk) {
    synchronized (LOCK) {
      if (global != null && global != sdk) {
        throw new IllegalStateException("a global MintaroSdk is already installed");
      }
      global = sdk;
    }
  }

  /** Replaces the global SDK whatever it is, and returns the one it replaced (may be null). */
  public static MintaroSdk replace(MintaroSdk sdk) {
    synchronized (LOCK) {
      MintaroSdk old = global;
      global = sdk;
      return old;
    }
  }
}
