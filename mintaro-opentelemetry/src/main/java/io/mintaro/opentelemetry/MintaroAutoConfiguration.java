package io.mintaro.opentelemetry;

import io.mintaro.Mintaro;
import io.mintaro.MintaroSdk;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * Installs the bridge wherever OpenTelemetry configures itself: SDK autoconfiguration and the
 * OpenTelemetry Java agent (as an extension, {@code -Dotel.javaagent.extensions=...}). It adds the
 * span and log record processors, wraps the configured sampler and propagators, and configures the
 * global Mintaro SDK from the environment ({@code MINTARO_*}), taking {@code otel.service.name} as
 * the service when {@code MINTARO_SERVICE} is not set. {@code mintaro.otel.enabled=false} turns it off.
 */
public final class MintaroAutoConfiguration implements AutoConfigurationCustomizerProvider {
  private static boolean installed;

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addPropertiesCustomizer(config -> {
      install(config);
      return java.util.Map.of();
    });
    customizer.addSamplerCustomizer((sampler, config) -> enabled(config) ? bridge(config).sampler(sampler) : sampler);
    customizer.addPropagatorCustomizer((propagator, config) -> enabled(config)
        ? TextMapPropagator.composite(propagator, bridge(config).propagator()) : propagator);
    customizer.addTracerProviderCustomizer((builder, config) -> enabled(config)
        ? builder.addSpanProcessor(bridge(config).spanProcessor()) : builder);
    customizer.addLoggerProviderCustomizer((builder, config) -> enabled(config)
        ? builder.addLogRecordProcessor(bridge(config).logRecordProcessor()) : builder);
  }

  private static boolean enabled(ConfigProperties config) {
    return config.getBoolean("mintaro.otel.enabled", true);
  }

  private static MintaroOpenTelemetry bridge(ConfigProperties config) {
    install(config);
    return MintaroOpenTelemetry.create();
  }

  /** Builds the global SDK once, before anything else could build it without the service name. */
  private static synchronized void install(ConfigProperties config) {
    if (installed || !enabled(config)) {
      return;
    }
    installed = true;
    try {
      MintaroSdk.Builder builder = MintaroSdk.builder().fromEnvironment();
      if (System.getenv("MINTARO_SERVICE") == null && System.getProperty("mintaro.service") == null) {
        String service = config.getString("otel.service.name");
        if (service != null && !service.isBlank()) {
          builder.service(serviceName(service));
        }
      }
      Mintaro.install(builder.build());
    } catch (IllegalStateException e) {
      // a global SDK was already in use: the bridge records into it
    } catch (IllegalArgumentException e) {
      System.getLogger("io.mintaro").log(System.Logger.Level.WARNING,
          "Mintaro configuration is invalid, recording locally only: " + e.getMessage());
    }
  }

  /** Mintaro's service names are {@code [A-Za-z0-9._-]}, at most 100 characters. */
  static String serviceName(String otelName) {
    String name = otelName.strip().replaceAll("[^A-Za-z0-9._-]", "-");
    return name.length() > 100 ? name.substring(0, 100) : name;
  }
}
