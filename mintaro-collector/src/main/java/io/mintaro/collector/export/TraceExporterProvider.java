package io.mintaro.collector.export;

import java.util.function.Function;

/**
 * Creates a {@link TraceExporter} from the collector's settings; found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.mintaro.collector.export.TraceExporterProvider}).
 */
public interface TraceExporterProvider {

    /**
     * The exporter these settings ask for, or {@code null} when they do not turn it on.
     *
     * @param settings the value of a setting ({@code MINTARO_EXPORT_...}) by name, {@code null} when unset
     * @throws IllegalArgumentException naming the setting whose value is invalid
     */
    TraceExporter create(Function<String, String> settings);
}
