package io.mintaro.collector;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A webhook on loopback that records what it is posted and answers the statuses it is told to. */
final class WebhookReceiver implements AutoCloseable {
    record Received(long atNanos, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            int status;
            synchronized (this) {
                received.add(new Received(System.nanoTime(), headers, body));
                status = statuses.isEmpty() ? 200 : statuses.poll();
                notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next requests are answered these statuses, then 200. */
    synchronized void answer(Integer... next) {
        statuses.addAll(List.of(next));
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code done} holds for what was received, or fails after {@code seconds}. */
    synchronized List<Received> await(Predicate<List<Received>> done, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.test(received)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("webhook received " + received.size() + " requests: " + received);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
