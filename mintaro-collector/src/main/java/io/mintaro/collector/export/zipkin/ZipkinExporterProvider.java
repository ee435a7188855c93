package io.mintaro.collector.export.zipkin;

import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.export.TraceExporterProvider;
import io.mintaro.collector.export.internal.HttpSender;
import java.util.function.Function;

/** Turns {@code MINTARO_EXPORT_ZIPKIN} (the Zipkin base URL) into a {@link ZipkinExporter}. */
public final class ZipkinExporterProvider implements TraceExporterProvider {
    @Override
    public TraceExporter create(Function<String, String> settings) {
        String url = settings.apply("MINTARO_EXPORT_ZIPKIN");
        if (url == null) {
            return null;
        }
        return new ZipkinExporter(HttpSender.httpUri("MINTARO_EXPORT_ZIPKIN", url), HttpSender.timeoutMs(settings));
    }
}
