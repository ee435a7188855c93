package io.mintaro.collector.export.otlp;

import io.mintaro.collector.export.ExportException;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.export.internal.HttpSender;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends traces over OTLP/HTTP with protobuf bodies: spans to the traces endpoint, then their log
 * lines to the logs endpoint. A batch is done when both were accepted; a retry sends both again.
 */
public final class OtlpExporter implements TraceExporter {
    private static final Logger log = LoggerFactory.getLogger(OtlpExporter.class);
    private static final String PROTOBUF = "application/x-protobuf";

    private final URI tracesUri;
    private final URI logsUri;
    private final Map<String, String> headers;
    private final HttpSender sender;

    /**
     * @param tracesUri for example {@code http://localhost:4318/v1/traces}
     * @param logsUri where log records go, or {@code null} to send none
     * @param headers added to every request (for example {@code x-honeycomb-team})
     */
    public OtlpExporter(URI tracesUri, URI logsUri, Map<String, String> headers, long timeoutMs) {
        this.tracesUri = tracesUri;
        this.logsUri = logsUri;
        this.headers = Map.copyOf(headers);
        this.sender = new HttpSender("mintaro-export-otlp-http", timeoutMs);
    }

    @Override
    public String name() {
        return "otlp";
    }

    @Override
    public void export(List<ExportedTrace> traces) throws ExportException {
        byte[] answer = sender.post(tracesUri, PROTOBUF, OtlpMapping.traces(traces).toByteArray(), headers);
        partialSuccess(answer);
        if (logsUri != null) {
            ExportLogsServiceRequest logs = OtlpMapping.logs(traces);
            if (logs.getResourceLogsCount() > 0) {
                sender.post(logsUri, PROTOBUF, logs.toByteArray(), headers);
            }
        }
    }

    /** OTLP says a partial success must not be retried; it is logged. An unreadable answer body is ignored. */
    private void partialSuccess(byte[] answer) {
        try {
            ExportTraceServiceResponse r = ExportTraceServiceResponse.parseFrom(answer);
            if (r.hasPartialSuccess() && r.getPartialSuccess().getRejectedSpans() > 0) {
                log.warn("{} rejected {} span(s): {}", tracesUri, r.getPartialSuccess().getRejectedSpans(),
                        r.getPartialSuccess().getErrorMessage());
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            log.debug("{} accepted the spans with an unreadable answer: {}", tracesUri, e.getMessage());
        }
    }

    @Override
    public void close() {
        sender.close();
    }
}
