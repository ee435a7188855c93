package io.mintaro.collector;

import io.mintaro.collector.cli.AdminCommand;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Command-line entry point of {@code mintaro-collector.jar}: reads {@link CollectorConfig} from the
 * environment and system properties, starts a {@link Collector} and runs until the JVM is stopped.
 */
public final class CollectorMain {
    private CollectorMain() {
    }

    /** Runs the collector; exits with status 2 on bad configuration and 1 when it cannot start. */
    public static void main(String[] args) throws InterruptedException {
        if (AdminCommand.handles(args)) {
            System.exit(AdminCommand.run(args, name -> System.getProperty(name, System.getenv(name)),
                    new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
            return;
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("""
                    Mintaro collector. Administration: 'namespaces --help', 'keys --help'.
                    Configure with environment variables or -D system properties:
                      MINTARO_COLLECTOR_HOST      interface to bind (default: all)
                      MINTARO_COLLECTOR_PORT      HTTP port (default 7070, 0 = any free port)
                      MINTARO_DB                  SQLite file (default mintaro-data/mintaro.db)
                      MINTARO_API_KEYS            comma-separated admin keys of the default namespace (default: none;
                                  on an empty database one is generated and printed once)
                      MINTARO_POLL_TIMEOUT_MS     long-poll duration (default 20000)
                      MINTARO_LATE_WINDOW_MS      late-data window told to agents (default 30000)
                      MINTARO_ANSWER_TIMEOUT_MS   wait for an asked agent (default 3000)
                      MINTARO_MAX_BODY_BYTES      request body cap after decompression (default 16777216)
                      MINTARO_COUNT_WINDOW_MS     wait of a counted trigger for its trace before it counts alone (default 10000)
                      MINTARO_RECONNECT_WAIT_MS   wait for an asked agent that is not polling, or a called authority (default 8000)
                      MINTARO_RETENTION_MAX_AGE_MS  traces expire this long after they were stored (default 604800000 = 7 days, 0 = never)
                      MINTARO_RETENTION_MAX_BYTES   oldest traces expire beyond this stored size per namespace (default 10737418240, 0 = no limit)
                                  (a namespace may set its own: namespaces retention NAME --max-age-ms/--max-bytes)
                      MINTARO_RETENTION_INTERVAL_MS time between two retention runs (default 30000)
                      MINTARO_METRICS_KEY         key GET /metrics requires as a bearer token (default: none, /metrics is open)
                    Export of completed traces (each optionally with a filter, e.g. MINTARO_EXPORT_ZIPKIN_FILTER=status:error,service:orders):
                      MINTARO_EXPORT_ZIPKIN       Zipkin base URL (spans go to <url>/api/v2/spans)
                      MINTARO_EXPORT_OTLP         OTLP/HTTP traces endpoint (http://host:4318/v1/traces)
                      MINTARO_EXPORT_OTLP_HEADERS headers for OTLP requests, name=value,name2=value2
                      MINTARO_EXPORT_OTLP_LOGS    OTLP logs endpoint (default: .../v1/logs next to the traces one; none = no logs)
                      MINTARO_EXPORT_STATSD       statsd host:port (UDP); MINTARO_EXPORT_STATSD_FLAVOR etsy|datadog|telegraf|sysdig
                      MINTARO_EXPORT_MAX_ATTEMPTS attempts before a trace's export is dead-lettered (default 10)
                      MINTARO_EXPORT_QUEUE_MAX    traces waiting per exporter before new ones are not queued (default 100000)
                      MINTARO_EXPORT_BACKOFF_MS   first retry delay, doubled per failure up to 5 min (default 1000)
                      MINTARO_EXPORT_TIMEOUT_MS   timeout of one export request (default 10000)""");
            return;
        }
        // The collector's own logging setup, unless the operator chose one; embedded use is untouched.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/mintaro/collector/logback.xml");
        }
        CollectorConfig config;
        try {
            config = CollectorConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println("mintaro-collector: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Collector collector;
        try {
            collector = Collector.start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("mintaro-collector: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("mintaro-collector: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("Mintaro collector listening on " + collector.url());
        if (config.apiKeys().isEmpty() && collector.apiKey() != null) {
            System.out.println("Admin key of the default namespace (generated; shown only now, stored as a hash): "
                    + collector.apiKey());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            collector.close();
            stopped.countDown();
        }, "mintaro-collector-shutdown"));
        stopped.await();
    }
}
