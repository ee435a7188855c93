package io.mintaro.collector.export.otlp;

import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.export.TraceExporterProvider;
import io.mintaro.collector.export.internal.HttpSender;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code MINTARO_EXPORT_OTLP} (the traces endpoint), {@code MINTARO_EXPORT_OTLP_HEADERS}
 * ({@code k=v,k2=v2}) and {@code MINTARO_EXPORT_OTLP_LOGS} (the logs endpoint; by default the
 * traces endpoint with {@code /v1/traces} replaced by {@code /v1/logs}, {@code none} to send no logs).
 */
public final class OtlpExporterProvider implements TraceExporterProvider {
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    @Override
    public TraceExporter create(Function<String, String> settings) {
        String url = settings.apply("MINTARO_EXPORT_OTLP");
        if (url == null) {
            return null;
        }
        URI traces = HttpSender.httpUri("MINTARO_EXPORT_OTLP", url);
        String logsSetting = settings.apply("MINTARO_EXPORT_OTLP_LOGS");
        URI logs;
        if ("none".equals(logsSetting)) {
            logs = null;
        } else if (logsSetting != null) {
            logs = HttpSender.httpUri("MINTARO_EXPORT_OTLP_LOGS", logsSetting);
        } else if (traces.getPath() != null && traces.getPath().endsWith("/v1/traces")) {
            String s = traces.toString();
            logs = URI.create(s.substring(0, s.lastIndexOf("/v1/traces")) + "/v1/logs");
        } else {
            throw new IllegalArgumentException("MINTARO_EXPORT_OTLP does not end with /v1/traces: set "
                    + "MINTARO_EXPORT_OTLP_LOGS to the logs endpoint, or to none");
        }
        return new OtlpExporter(traces, logs, headers(settings.apply("MINTARO_EXPORT_OTLP_HEADERS")),
                HttpSender.timeoutMs(settings));
    }

    static Map<String, String> headers(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? "" : part.substring(0, eq).trim();
            String value = eq < 0 ? "" : part.substring(eq + 1).trim();
            if (!HEADER_NAME.matcher(name).matches() || value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                // The value may be a secret: only the name is shown.
                throw new IllegalArgumentException("MINTARO_EXPORT_OTLP_HEADERS: expected name=value pairs separated "
                        + "by commas, got an entry named '" + (eq < 0 ? "?" : name) + "'");
            }
            out.put(name, value);
        }
        return out;
    }
}
