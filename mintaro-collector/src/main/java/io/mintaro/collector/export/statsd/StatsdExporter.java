package io.mintaro.collector.export.statsd;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.mintaro.collector.export.ExportedTrace;
import io.mintaro.collector.export.TraceExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Micrometer's registry writes the lines; each batch's lines are sent at its end, packed into
 * datagrams. UDP is fire-and-forget: an export never fails, and nothing is retried. A trace is
 * counted once, as it was when exported: late records do not re-export it here
 * ({@link #reexportsLateRecords}), since counters cannot take a trace back.
 */
public final class StatsdExporter implements TraceExporter {
    private static final Logger log = LoggerFactory.getLogger(StatsdExporter.class);
    /** Micrometer's default: a datagram that fits a typical MTU. */
    static final int MAX_PACKET_BYTES = 1_400;

    private final String host;
    private final int port;
    private final StatsdMeterRegistry registry;
    /** The lines Micrometer wrote during the current export; sent at its end. */
    private final List<String> lines = new ArrayList<>();
    private final DatagramChannel channel;
    private long lastWarningMs;

    /**
     * @param flavor the line format: {@code etsy} (plain statsd, tags folded into the name),
     *               {@code datadog}, {@code telegraf} or {@code sysdig}
     */
    public StatsdExporter(String host, int port, StatsdFlavor flavor) {
        this.host = host;
        this.port = port;
        StatsdConfig config = new StatsdConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public StatsdFlavor flavor() {
                return flavor;
            }
        };
        try {
            this.channel = DatagramChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP socket for statsd", e);
        }
        // Micrometer writes the lines (every flavour); they are sent here, not by its own UDP client,
        // which connects asynchronously and drops what is recorded before it is connected.
        this.registry = StatsdMeterRegistry.builder(config).clock(Clock.SYSTEM).lineSink(this::line).build();
    }

    private void line(String line) {
        synchronized (lines) {
            lines.add(line);
        }
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
        List<String> written;
        synchronized (lines) {
            written = new ArrayList<>(lines);
            lines.clear();
        }
        send(written);
    }

    /** The lines, newline-separated, in datagrams of at most {@value #MAX_PACKET_BYTES} bytes. */
    private void send(List<String> written) {
        if (written.isEmpty()) {
            return;
        }
        try {
            // Resolved per batch, so that a statsd host that moves is followed.
            InetSocketAddress target = new InetSocketAddress(host, port);
            if (target.isUnresolved()) {
                throw new IOException("cannot resolve " + host);
            }
            ByteArrayOutputStream packet = new ByteArrayOutputStream(MAX_PACKET_BYTES);
            for (String line : written) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                if (packet.size() > 0 && packet.size() + 1 + bytes.length > MAX_PACKET_BYTES) {
                    channel.send(ByteBuffer.wrap(packet.toByteArray()), target);
                    packet.reset();
                }
                if (packet.size() > 0) {
                    packet.write('\n');
                }
                packet.write(bytes, 0, bytes.length);
            }
            channel.send(ByteBuffer.wrap(packet.toByteArray()), target);
        } catch (IOException | RuntimeException e) {
            // UDP is fire-and-forget: nothing to retry, but say so now and then.
            long now = System.currentTimeMillis();
            if (now - lastWarningMs > 60_000) {
                lastWarningMs = now;
                log.warn("statsd {}:{}: lines not sent: {}", host, port, e.toString());
            }
        }
    }

    @Override
    public void close() {
        registry.close();
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
