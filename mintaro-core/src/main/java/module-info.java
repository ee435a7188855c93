/**
 * The Mintaro SDK: context, propagation, the flight recorder, triggers and the agent.
 * Applications use {@code io.mintaro}; integrations also use {@code io.mintaro.http} and
 * {@code io.mintaro.logging}. Everything under {@code io.mintaro.internal} is not public API; the
 * test-mode module alone reads the parts of it that test assertions need.
 */
module io.mintaro {
  requires java.management;
  requires java.net.http;

  exports io.mintaro;
  exports io.mintaro.http;
  exports io.mintaro.logging;
  exports io.mintaro.bridge;

  exports io.mintaro.internal to io.mintaro.test;
  exports io.mintaro.internal.agent to io.mintaro.test;
  exports io.mintaro.internal.context to io.mintaro.test;
  exports io.mintaro.internal.json to io.mintaro.test;
  exports io.mintaro.internal.recorder to io.mintaro.test;
}
