package io.mintaro.collector;

import static io.mintaro.collector.Records.batch;
import static io.mintaro.collector.Records.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mintaro.collector.agent.ProtocolParser;
import io.mintaro.collector.metrics.CollectorMetrics;
import io.mintaro.collector.retention.Retention;
import io.mintaro.collector.store.Database;
import io.mintaro.collector.store.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What expiring costs ingest (a tool, not a test): {@code RetentionBench [sqlite|postgresql]
 * [old traces, default 20000] [seconds, default 15]}.
 *
 * <p>Stores that many five-service traces ({@link TraceBytes}' shape) and makes them two days old,
 * then stores new traces as fast as one writer can (each trace's six batches, as its agents send
 * them) for the given time, twice in the same run: alone, then while retention (one day's age)
 * expires the old ones. Prints the time of each batch's store call (p50, p99, max) in both
 * phases, the batches stored per second, and how fast the old traces went.
 */
public final class RetentionBench {
    private static final long DAY_MS = 86_400_000L;

    private RetentionBench() {
    }

    public static void main(String[] args) throws Exception {
        String engine = args.length > 0 ? args[0] : "sqlite";
        int old = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Database db;
        if (engine.equals("postgresql")) {
            var pg = TestDatabase.cluster();
            db = Database.postgresql(pg.createDatabase("retentionbench"), pg.user(), pg.password());
        } else {
            db = Database.sqlite(Files.createTempDirectory("mintaro-retention-bench").resolve("mintaro.db"));
        }
        try (Storage store = Storage.open(db)) {
            TraceBytes.fill(store, old, new Random(7));
            try (Connection c = TestDatabase.connect(db); Statement st = c.createStatement()) {
                c.setAutoCommit(true);
                st.executeUpdate("UPDATE traces SET created_at_ms = created_at_ms - " + 2 * DAY_MS);
            }
            Random random = new Random(11);
            String[] agents = new String[TraceBytes.SERVICES.length];
            for (int s = 0; s < agents.length; s++) {
                agents[s] = TraceBytes.hex(random, 16);
            }
            ingest(store, agents, random, 3); // warm-up
            Phase alone = ingest(store, agents, random, seconds);

            Retention retention = new Retention(store.namespaces(), store.retention(), new Retention.Limits(DAY_MS, 0),
                    new CollectorMetrics(), System::currentTimeMillis);
            AtomicBoolean done = new AtomicBoolean();
            long[] expired = new long[2]; // traces, nanos to expire them all
            Thread expiring = new Thread(() -> {
                long t0 = System.nanoTime();
                while (expired[0] < old) {
                    expired[0] += retention.run().stream().mapToLong(o -> o.byAge().traces()).sum();
                }
                expired[1] = System.nanoTime() - t0;
                done.set(true);
            }, "retention");
            expiring.start();
            Phase during = ingest(store, agents, random, seconds);
            expiring.join();
            System.out.printf(Locale.ROOT, "%s, %d old traces, %d s per phase%n", db.kind(), old, seconds);
            System.out.printf(Locale.ROOT, "  ingest alone:          %s%n", alone);
            System.out.printf(Locale.ROOT, "  ingest while expiring: %s%n", during);
            System.out.printf(Locale.ROOT, "  expired %d traces in %.1f s (%.0f traces/s)%s%n", expired[0],
                    expired[1] / 1e9, expired[0] / (expired[1] / 1e9),
                    done.get() ? "" : " (not finished within the phase)");
        }
        System.exit(0);
    }

    /** Batch store times of one phase. */
    private record Phase(long[] nanos, int count, double seconds) {
        @Override
        public String toString() {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "%,d batches (%.0f/s), p50 %.2f ms, p99 %.2f ms, max %.1f ms", count,
                    count / seconds, sorted[count / 2] / 1e6, sorted[(int) (count * 0.99)] / 1e6,
                    sorted[count - 1] / 1e6);
        }
    }

    private static Phase ingest(Storage store, String[] agents, Random random, int seconds) throws Exception {
        long[] nanos = new long[1 << 20];
        int n = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end && n < nanos.length - 8) {
            long nowMs = System.currentTimeMillis();
            String traceId = TraceBytes.hex(random, 32);
            ObjectNode triggers = batch(agents[agents.length - 1]);
            trigger(triggers, traceId, "error", "HTTP 500", nowMs);
            Map<Integer, ObjectNode> records = new LinkedHashMap<>();
            for (int s = 0; s < agents.length; s++) {
                records.put(s, batch(agents[s]));
            }
            TraceBytes.addTrace(records, agents, traceId, nowMs * 1000, random);
            long t = System.nanoTime();
            store.ingest().store(ProtocolParser.batch(triggers), TraceBytes.SERVICES[agents.length - 1], nowMs);
            nanos[n++] = System.nanoTime() - t;
            for (Map.Entry<Integer, ObjectNode> b : records.entrySet()) {
                t = System.nanoTime();
                store.ingest().store(ProtocolParser.batch(b.getValue()), TraceBytes.SERVICES[b.getKey()], nowMs);
                nanos[n++] = System.nanoTime() - t;
            }
        }
        return new Phase(nanos, n, (System.nanoTime() - start) / 1e9);
    }
}
