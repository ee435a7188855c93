package io.mintaro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mintaro.http.BodyCapture;
import io.mintaro.http.ClientExchange;
import io.mintaro.http.ServerExchange;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import io.mintaro.logging.LogCapture;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * First, do no harm: whatever the host passes, once an SDK is built nothing in it throws into the
 * host application.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class NeverThrowsTest {
  private final MintaroSdk sdk = MintaroSdk.builder().service("svc").bufferSize(64 * 1024).maxBodySize(64).build();

  @AfterEach
  void cleanUp() {
    TestSdks.clearContext();
    sdk.close();
  }

  @Test
  void spansTakeNullsAndLateCalls() {
    assertThatCode(() -> {
      try (RecordingSpan root = TestSdks.root(sdk, null)) {
        Span span = Mintaro.startSpan(null);
        span.attribute(null, "v").attribute("k", (String) null).attribute(null, 1).attribute(null, true)
            .attribute("", "").attribute("huge", "x".repeat(1_000_000));
        span.recordError(null).fail(null).fail(new HostileException()).recordError(new HostileException());
        span.close();
        span.close();
        span.attribute("after", "close").recordError(new RuntimeException()).fail(new RuntimeException());
        span.close();
        Mintaro.trigger(null);
        Mintaro.trigger("x".repeat(100_000));
        root.failWith(null, null);
      }
      Mintaro.wrap((Runnable) null);
      Mintaro.wrap((Callable<?>) null);
    }).doesNotThrowAnyException();
  }

  @Test
  void aThrowableWhoseMethodsThrowIsRecordedAnyway() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "root")) {
      traceId = root.traceId();
      root.fail(new HostileException());
      LogCapture.record(Level.ERROR, "l", "t", 0, "m", new HostileException());
    }

    assertThat(RingDump.span(RingDump.trace(sdk, traceId), "root")).containsEntry("status", "failed");
  }

  @Test
  void serverExchangesTakeGarbage() {
    assertThatCode(() -> {
      ServerExchange a = ServerExchange.start(sdk, null, null, null, null);
      a.requestHeader(null, null);
      a.requestHeader("Authorization", null);
      a.responseHeader(null, "v");
      for (int i = 0; i < 1_000; i++) {
        a.requestHeader("h" + i, "v".repeat(10_000));
      }
      a.route(null);
      a.status(-1);
      a.fail(null);
      a.close();
      a.close();
      a.status(200);
      a.requestHeader("late", "late");

      ServerExchange b = ServerExchange.start(sdk, "GET", "http://h/?password", "/", name -> {
        throw new IllegalStateException("the container is shutting down");
      });
      b.status(Integer.MAX_VALUE);
      b.fail(new HostileException());
      b.close();

      ServerExchange c = ServerExchange.start(sdk, "\u0000", "\uD800", "x".repeat(100_000),
          name -> "00-" + "f".repeat(32) + "-" + "\uD83D\uDE00".repeat(8) + "-01" + "x".repeat(100_000));
      c.requestBody().write(new byte[] {(byte) 0xff, 0, (byte) 0xc3}, 0, 3);
      c.close();
    }).doesNotThrowAnyException();
  }

  @Test
  void clientExchangesTakeGarbage() {
    assertThatCode(() -> {
      ClientExchange a = ClientExchange.start(sdk, null, null);
      a.propagationHeaders(null);
      a.propagationHeaders((k, v) -> { });
      a.requestHeader(null, null);
      a.responseHeader(null, null);
      a.responseHeader("X-Mintaro-Callee", null);
      a.responseHeader("X-Mintaro-Callee", "\r\n");
      a.status(-42);
      a.fail(null);
      a.close();
      a.close();
      a.fail(new RuntimeException("late"));

      ClientExchange b = ClientExchange.start(sdk, "get", URI.create("mailto:someone@example.com"));
      b.fail(new HostileException());
      b.close();
    }).doesNotThrowAnyException();
  }

  @Test
  void bodyCapturesIgnoreBadArguments() {
    ServerExchange exchange = ServerExchange.start(sdk, "POST", "http://h/", "/", name -> null);
    BodyCapture body = exchange.requestBody();
    byte[] bytes = "0123456789".getBytes();

    assertThatCode(() -> {
      body.write(null, 0, 5);
      body.write(bytes, -1, 5);
      body.write(bytes, 5, -1);
      body.write(bytes, 8, 5);
      body.write(bytes, 11, 0);
      body.write(bytes, 2, Integer.MAX_VALUE);
      body.write(bytes, Integer.MAX_VALUE, 2);
      body.write(bytes, Integer.MIN_VALUE, 2);
      body.write((ByteBuffer) null);
      body.write(ByteBuffer.allocate(0));
      body.write(-1);
      body.write(Integer.MAX_VALUE);
    }).doesNotThrowAnyException();
    assertThat(body.total()).as("only the valid writes count").isEqualTo(2);

    body.write(bytes, 0, 10);
    assertThat(body.total()).isEqualTo(12);
    exchange.close();
  }

  @Test
  void aByteBufferIsReadWithoutBeingConsumed() {
    ServerExchange exchange = ServerExchange.start(sdk, "POST", "http://h/", "/", name -> null);
    ByteBuffer buffer = ByteBuffer.wrap(new byte[200]);

    exchange.requestBody().write(buffer);

    assertThat(buffer.remaining()).isEqualTo(200);
    assertThat(exchange.requestBody().total()).isEqualTo(200);
    exchange.close();
  }

  @Test
  void logCaptureTakesGarbage() {
    assertThatCode(() -> {
      try (RecordingSpan root = TestSdks.root(sdk, "root")) {
        LogCapture.record(null, null, null, 0, null, null, null, null);
        LogCapture.record(null, null, null, Long.MIN_VALUE, null, (Throwable) null);
        LogCapture.record(Level.OFF, "l", "t", Long.MAX_VALUE, "m", new HostileException());
        LogCapture.record(Level.ERROR, "l", "t", -1, "x".repeat(1_000_000), "E", null, "s".repeat(1_000_000));
      }
    }).doesNotThrowAnyException();
  }

  @Test
  void theSdkItselfTakesRepeatedCloses() {
    assertThatCode(() -> {
      sdk.close();
      sdk.close();
      sdk.stats();
      try (RecordingSpan root = TestSdks.root(sdk, "after close")) {
        Mintaro.trigger("still fine");
      }
    }).doesNotThrowAnyException();
  }

  /** An exception as badly behaved as application code can make one. */
  static final class HostileException extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("toString");
    }

    @Override
    public StackTraceElement[] getStackTrace() {
      throw new IllegalStateException("getStackTrace");
    }
  }
}
