package io.mintaro.spring.boot;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Which SDK the starter's integrations record into. The application's SDK is installed as the
 * global one; when something replaces the global SDK later (test mode, {@code MintaroExtension}),
 * the integrations follow it, so tests of a cached application context see what it records.
 * When another SDK was global already (a second application in the same JVM), this application
 * keeps recording into its own.
 */
final class SdkSelector {
  private static final Log log = LogFactory.getLog(SdkSelector.class);

  private final MintaroSdk own;
  private final MintaroSdk globalAtStart;

  SdkSelector(MintaroSdk own) {
    this.own = own;
    try {
      Mintaro.install(own);
    } catch (IllegalStateException e) {
      log.warn("Mintaro: another MintaroSdk is already the global one (another application in this JVM, or "
          + "Mintaro.sdk() used before the context started); this application records into its own, service '"
          + own.service() + "'");
    } catch (RuntimeException e) {
      log.warn("Mintaro: could not install the global MintaroSdk", e);
    }
    this.globalAtStart = Mintaro.sdk();
  }

  /** The application's SDK: the bean. */
  MintaroSdk own() {
    return own;
  }

  /** Whether the application's SDK became the global one. */
  boolean ownIsGlobal() {
    return globalAtStart == own;
  }

  /** The SDK to record into now: the application's, unless the global SDK was replaced since start. */
  MintaroSdk current() {
    MintaroSdk global = Mintaro.sdk();
    return global == globalAtStart ? own : global;
  }
}
