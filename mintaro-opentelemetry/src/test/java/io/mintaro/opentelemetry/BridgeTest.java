package io.mintaro.opentelemetry;

import io.mintaro.test.MintaroExtension;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the bridge's tests start from: Mintaro in test mode, and an OpenTelemetry SDK bridged into it. */
abstract class BridgeTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  Otel otel;

  /** The application's own sampler, which the bridge wraps. */
  Sampler sampler() {
    return Sampler.alwaysOn();
  }

  @BeforeEach
  void startOpenTelemetry() {
    otel = new Otel(mintaro.sdk(), sampler());
  }

  @AfterEach
  void closeOpenTelemetry() {
    otel.close();
  }
}
