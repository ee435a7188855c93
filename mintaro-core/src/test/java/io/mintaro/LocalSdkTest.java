package io.mintaro;

import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of spans, context and capture start from: an SDK that records locally, closed
 * after each test, with whatever context the test left on the thread cleared.
 */
public abstract class LocalSdkTest {
  protected final MintaroSdk sdk = TestSdks.local();

  @AfterEach
  protected void closeSdk() {
    TestSdks.clearContext();
    sdk.close();
  }
}
