package io.mintaro.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that counts every byte the agents send to the collector, headers and
 * all. It measures the wire, not what the SDK claims it sent.
 */
final class CountingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicLong downstreamBytes = new AtomicLong();
  private volatile boolean open = true;
  private volatile boolean stalled;

  CountingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "counting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Bytes sent by agents towards the collector. */
  long upstreamBytes() {
    return upstreamBytes.get();
  }

  /** Bytes the collector sent back. */
  long downstreamBytes() {
    return downstreamBytes.get();
  }

  /** While stalled, the relay accepts and reads but passes nothing on: a hung collector. */
  void stall(boolean stalled) {
    this.stalled = stalled;
  }

  void reset() {
    upstreamBytes.set(0);
    downstreamBytes.set(0);
  }

  private void accept() {
    while (open) {
      try {
        Socket client = server.accept();
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
          client.close(); // the collector is down: the agent sees a refused call
          continue;
        }
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
      byte[] buffer = new byte[16 * 1024];
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
    }, "counting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
  }
}
