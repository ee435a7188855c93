package io.mintaro.collector.export.statsd;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.micrometer.statsd.StatsdProtocol;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import java.time.Duration;
import java.util.List;

/**
 * Sends metrics of exported traces to statsd through Micrometer's statsd registry:
 * <ul>
 *   <li>{@code mintaro.span.duration} (timer): each finished span, tags {@code service}, {@code span},
 *       {@code kind}, {@code status};</li>
 *   <li>{@code mintaro.spans} (counter): spans per {@code service}, {@code kind}, {@code status};</li>
 *   <li>{@code mintaro.traces} (counter): traces per error group ({@code group} = fingerprint) and
 *       {@code status};</li>
 *   <li>{@code mintaro.logs} (counter): log lines per {@code service} and {@code level};</li>
 *   <li>{@code mintaro.events} (counter): span events (tomograph's notes: each one counts) per
 *       {@code service}, {@code span} (the span's name) and {@code event} (the event's name).</li>
 * </ul>
 * UDP is fire-and-forget: an export never fails, and nothing is retried. A trace is counted once,
 * as it was when exported: late records do not re-export it here ({@link #reexportsLateRecords}),
 * since counters cannot take a trace back.
 */
public final class StatsdExporter implements TraceExporter {
    private final StatsdMeterRegistry registry;

    /**
     * @param flavor the line format: {@code etsy} (plain statsd, tags folded into the name),
     *               {@code datadog}, {@code telegraf} or {@code sysdig}
     */
    public StatsdExporter(String host, int port, StatsdFlavor flavor) {
        StatsdConfig config = new StatsdConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public StatsdFlavor flavor() {
                return flavor;
            }

            @Override
            public StatsdProtocol protocol() {
                return StatsdProtocol.UDP;
            }

            @Override
            public Duration pollingFrequency() {
                // Buffered lines are flushed at least this often (and whenever a packet is full).
                return Duration.ofSeconds(1);
            }
        };
        this.registry = new StatsdMeterRegistry(config, Clock.SYSTEM);
    }

    @Override
    public String name() {
        return "statsd";
    }

    @Override
    public int maxBatchSize() {
        return 500;
    }

    @Override
    public boolean reexportsLateRecords() {
        return false;
    }

    @Override
    public void export(List<ExportedTrace> traces) {
        for (ExportedTrace t : traces) {
            Counter.builder("mintaro.traces").tag("group", t.fingerprint() == null ? "none" : t.fingerprint())
                    .tag("status", t.status()).register(registry).increment();
            for (ExportedTrace.Span s : t.spans()) {
                Counter.builder("mintaro.spans").tag("service", s.service()).tag("kind", s.kind())
                        .tag("status", s.status()).register(registry).increment();
                for (ExportedTrace.Event e : s.events()) {
                    Counter.builder("mintaro.events").tag("service", s.service())
                            .tag("span", s.name() == null ? "" : s.name()).tag("event", e.name() == null ? "" : e.name())
                            .register(registry).increment();
                }
                if (s.endUs() != null) {
                    Timer.builder("mintaro.span.duration").tag("service", s.service())
                            .tag("span", s.name() == null ? "" : s.name()).tag("kind", s.kind())
                            .tag("status", s.status()).register(registry)
                            .record(Duration.ofNanos(Math.max(0, s.endUs() - s.startUs()) * 1_000));
                }
            }
            for (ExportedTrace.Log l : t.logs()) {
                Counter.builder("mintaro.logs").tag("service", l.service()).tag("level", l.level())
                        .register(registry).increment();
            }
        }
        // The lines are written; keeping the meters would only grow memory with every new
        // span name and error group.
        registry.clear();
    }

    @Override
    public void close() {
        registry.close();
    }
}
