/** Records OpenTelemetry spans and log records into Mintaro's flight recorder. */
module io.mintaro.opentelemetry {
  requires io.mintaro;
  requires io.opentelemetry.api;
  requires io.opentelemetry.context;
  requires io.opentelemetry.sdk.common;
  requires io.opentelemetry.sdk.trace;
  requires io.opentelemetry.sdk.logs;
  requires static io.opentelemetry.sdk.autoconfigure.spi;

  exports io.mintaro.opentelemetry;

  provides io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider
      with io.mintaro.opentelemetry.MintaroAutoConfiguration;
}
