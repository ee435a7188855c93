package io.mintaro.collector.export.statsd;

import io.micrometer.statsd.StatsdFlavor;
import io.mintaro.collector.export.TraceExporter;
import io.mintaro.collector.export.TraceExporterProvider;
import java.util.Locale;
import java.util.function.Function;

/** {@code MINTARO_EXPORT_STATSD} ({@code host:port}) and {@code MINTARO_EXPORT_STATSD_FLAVOR} (default {@code etsy}). */
public final class StatsdExporterProvider implements TraceExporterProvider {
    @Override
    public TraceExporter create(Function<String, String> settings) {
        String address = settings.apply("MINTARO_EXPORT_STATSD");
        if (address == null) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        String host = colon <= 0 ? "" : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("MINTARO_EXPORT_STATSD must be host:port, got '" + address + "'");
        }
        String flavorText = settings.apply("MINTARO_EXPORT_STATSD_FLAVOR");
        StatsdFlavor flavor;
        try {
            flavor = flavorText == null ? StatsdFlavor.ETSY : StatsdFlavor.valueOf(flavorText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MINTARO_EXPORT_STATSD_FLAVOR must be etsy, datadog, telegraf or "
                    + "sysdig, got '" + flavorText + "'");
        }
        return new StatsdExporter(host, port, flavor);
    }
}
