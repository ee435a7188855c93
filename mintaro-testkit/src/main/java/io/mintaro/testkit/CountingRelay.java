package io.mintaro.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that counts every byte on the wire in both directions (HTTP headers,
 * bodies, long polls, everything). It measures the wire, not what the SDK claims it sent. Used in
 * front of the Mintaro collector and of the OTLP receiver, so both are measured the same way.
 *
 * <p>It also injects the faults of a real network: it can stall (a hung collector), cut a request
 * after some of its bytes, lose an answer after the request arrived whole, delay every chunk,
 * reset every connection, or leave connections half-open. Requests are recognised by their
 * request line ({@code "POST /agent/v1/batches"}), as the JDK client writes each request from
 * its first byte on.
 */
public final class CountingRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicLong downstreamBytes = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile boolean open = true;
  private volatile boolean stalled;
  private volatile long delayMillis;
  private volatile byte[] cutRequestLine;
  private volatile long cutAfterBytes;
  private volatile boolean cutWithReset;
  private final AtomicInteger cutsLeft = new AtomicInteger();
  private final AtomicInteger cutsDone = new AtomicInteger();
  private volatile byte[] loseAnswerRequestLine;
  private final AtomicInteger answersToLose = new AtomicInteger();
  private final AtomicInteger answersLost = new AtomicInteger();

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

  /** Holds every chunk, in both directions, this long before passing it on; zero for none. */
  public void delay(Duration delay) {
    this.delayMillis = delay.toMillis();
  }

  /**
   * Cuts the next {@code times} requests whose request line starts with {@code requestLine}: once
   * {@code afterBytes} bytes of one (headers included) have been passed on, both sides of its
   * connection are reset (a TCP RST), so the target sees a torn request and the client no answer.
   */
  public void cutRequests(String requestLine, long afterBytes, int times) {
    cutRequests(requestLine, afterBytes, times, true);
  }

  /** As {@link #cutRequests(String, long, int)}, closing with a FIN instead when {@code reset} is false. */
  public void cutRequests(String requestLine, long afterBytes, int times, boolean reset) {
    this.cutRequestLine = requestLine.getBytes(StandardCharsets.ISO_8859_1);
    this.cutAfterBytes = afterBytes;
    this.cutWithReset = reset;
    this.cutsLeft.set(times);
  }

  /** Requests cut so far by {@link #cutRequests}. */
  public int requestsCut() {
    return cutsDone.get();
  }

  /**
   * Loses the answers to the next {@code times} requests whose request line starts with
   * {@code requestLine}: the request reaches the target whole, and when the target answers, both
   * sides are reset before a byte of the answer is passed back (the work was done, the client
   * never heard so).
   */
  public void loseAnswers(String requestLine, int times) {
    this.loseAnswerRequestLine = requestLine.getBytes(StandardCharsets.ISO_8859_1);
    this.answersToLose.set(times);
  }

  /** Answers lost so far by {@link #loseAnswers}. */
  public int answersLost() {
    return answersLost.get();
  }

  /** Resets every open connection now, on both sides. */
  public void resetAll() {
    for (Link link : links) {
      link.abort();
    }
  }

  /**
   * Turns every open connection half-open: from now on it passes nothing in either direction and
   * is never closed, as when the peer's host vanished without a FIN or a reset. New connections
   * work. Returns how many connections it turned.
   */
  public int halfOpenAll() {
    int n = 0;
    for (Link link : links) {
      link.dead = true;
      n++;
    }
    return n;
  }

  /** Sets the byte and connection counts back to zero (connections stay as they are). */
  public void resetCounts() {
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
        Link link = new Link(client, upstream);
        links.add(link);
        pump(link, true);
        pump(link, false);
      } catch (IOException e) {
        if (!open) {
          return;
        }
      }
    }
  }

  private void pump(Link link, boolean towardsTarget) {
    Socket from = towardsTarget ? link.client : link.upstream;
    Socket to = towardsTarget ? link.upstream : link.client;
    AtomicLong counter = towardsTarget ? upstreamBytes : downstreamBytes;
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[32 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          while (stalled || link.dead) {
            if (!open) {
              return;
            }
            Thread.sleep(10);
          }
          long delay = delayMillis;
          if (delay > 0) {
            Thread.sleep(delay);
          }
          int pass = towardsTarget ? link.upstreamChunk(buffer, n) : link.downstreamChunk(n);
          counter.addAndGet(pass);
          out.write(buffer, 0, pass);
          out.flush();
          if (pass < n) {
            if (!towardsTarget || cutWithReset) {
              link.abort();
            } else {
              link.close();
            }
            return;
          }
        }
      } catch (IOException e) {
        // connection closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (!link.dead) {
          link.close();
        }
      }
    }, "counting-relay-pump");
    t.setDaemon(true);
    t.start();
  }

  /** One relayed connection: the client's socket, the target's, and the faults armed on it. */
  private final class Link {
    final Socket client;
    final Socket upstream;
    volatile boolean dead;
    /** Bytes of a request being cut still to pass on; -1 when none is. */
    long cutRemaining = -1;
    volatile boolean loseNextAnswer;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    /** How many of the {@code n} bytes the client sent to pass on; fewer than n means cut here. */
    int upstreamChunk(byte[] chunk, int n) {
      if (cutRemaining < 0) {
        byte[] line = cutRequestLine;
        int at = line == null ? -1 : indexOf(chunk, n, line);
        if (at >= 0 && cutsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
          cutRemaining = at + cutAfterBytes;
        }
      }
      byte[] lose = loseAnswerRequestLine;
      if (lose != null && indexOf(chunk, n, lose) >= 0
          && answersToLose.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
        loseNextAnswer = true;
      }
      if (cutRemaining < 0) {
        return n;
      }
      if (cutRemaining >= n) {
        cutRemaining -= n;
        return n;
      }
      int pass = (int) cutRemaining;
      cutRemaining = -1;
      cutsDone.incrementAndGet();
      return pass;
    }

    int downstreamChunk(int n) {
      if (loseNextAnswer) {
        loseNextAnswer = false;
        answersLost.incrementAndGet();
        return 0;
      }
      return n;
    }

    /** Closes both sides with a TCP reset (SO_LINGER 0), not a FIN. */
    void abort() {
      try {
        client.setSoLinger(true, 0);
        upstream.setSoLinger(true, 0);
      } catch (IOException e) {
        // already closed
      }
      close();
    }

    void close() {
      links.remove(this);
      try {
        client.close();
      } catch (IOException e) {
        // ignore
      }
      try {
        upstream.close();
      } catch (IOException e) {
        // ignore
      }
    }
  }

  private static int indexOf(byte[] chunk, int n, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= n; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (chunk[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
    for (Link link : links) {
      link.close();
    }
  }
}
