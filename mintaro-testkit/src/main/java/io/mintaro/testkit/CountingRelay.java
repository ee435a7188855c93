package io.mintaro.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that counts every byte on the wire in both directions (HTTP headers,
 * bodies, long polls, everything). It measures the wire, not what the SDK claims it sent. Used in
 * front of the Mintaro collector and of the OTLP receiver, so both are measured the same way; it
 * can also "stall" to play a hung collector.
 */
public final class CountingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicLong downstreamBytes = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private volatile boolean open = true;
  private volatile boolean stalled;

  /** A relay on an ephemeral loopback port in front of {@code targetPort}. */
  public CountingRelay(int targetPort) throws IOException {
    this(0, targetPort);
  }

  /** A relay on loopback {@code listenPort} (0 for an ephemeral one) in front of {@code targetPort}. */
  public CountingRelay(int listenPort, int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 200);
    Thread acceptor = new Thread(this::accept, "counting-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Bytes sent towards the target (by the agents, to the collector). */
  public long upstreamBytes() {
    return upstreamBytes.get();
  }

  /** Bytes the target sent back. */
  public long downstreamBytes() {
    return downstreamBytes.get();
  }

  /** Connections relayed to the target. */
  public long connections() {
    return connections.get();
  }

  /** While stalled, the relay accepts and reads but passes nothing on: a hung collector. */
  public void stall(boolean stalled) {
    this.stalled = stalled;
  }

  public void reset() {
    upstreamBytes.set(0);
    downstreamBytes.set(0);
    connections.set(0);
  }

  private void accept() {
    while (open) {
      try {
        Socket client = server.accept();
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
          client.close(); // the target is down: the caller sees a refused call
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        connections.incrementAndGet();
        pump(client, upstream, upstreamBytes);
        pump(upstream, client, downstreamBytes);
      } catch (IOException e) {
        if (!open) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[32 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          while (stalled) {
            Thread.sleep(10);
          }
          counter.addAndGet(n);
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // connection closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // ignore
        }
      }
    }, "counting-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
  }
}
