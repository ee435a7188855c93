package io.mintaro.collector.export.zipkin;

import io.mintaro.collector.export.ExportException;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.export.internal.HttpSender;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Sends traces as Zipkin v2 JSON to {@code <base>/api/v2/spans}, all spans of a batch in one
 * request. Mapping in the collector's README ("Export").
 */
public final class ZipkinExporter implements TraceExporter {
    private final URI spansUri;
    private final HttpSender sender;

    /**
     * @param baseUrl the Zipkin server, for example {@code http://zipkin:9411}
     * @param timeoutMs timeout of one request
     */
    public ZipkinExporter(URI baseUrl, long timeoutMs) {
        String base = baseUrl.toString();
        this.spansUri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v2/spans");
        this.sender = new HttpSender("mintaro-export-zipkin-http", timeoutMs);
    }

    @Override
    public String name() {
        return "zipkin";
    }

    /** Fewer, larger requests: each batch also waits once for the store's writer (to delete its rows). */
    @Override
    public int maxBatchSize() {
        return 500;
    }

    @Override
    public void export(List<ExportedTrace> traces) throws ExportException {
        sender.post(spansUri, "application/json", ZipkinJson.spans(traces), Map.of());
    }

    @Override
    public void close() {
        sender.close();
    }
}
