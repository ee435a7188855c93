package io.mintaro.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that counts every byte sent towards the sink (HTTP headers, bodies,
 * long polls, everything on the wire), as mintaro-it's CountingProxy does. Used in front of both
 * the Mintaro collector and the OTLP receiver, so both are measured the same way.
 */
final class CountingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  final AtomicLong upstreamBytes = new AtomicLong();
  final AtomicLong downstreamBytes = new AtomicLong();
  final AtomicLong connections = new AtomicLong();
  private volatile boolean open = true;

  CountingRelay(int listenPort, int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 200);
    Thread acceptor = new Thread(this::accept, "counting-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  void reset() {
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
          client.close();
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

  private static void pump(Socket from, Socket to, AtomicLong counter) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[32 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          counter.addAndGet(n);
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // closed
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
