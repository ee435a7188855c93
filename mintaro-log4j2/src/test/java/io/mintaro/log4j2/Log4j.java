package io.mintaro.log4j2;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.message.AsynchronouslyFormattable;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.StringBuilderFormattable;

/** Real Log4j2 contexts configured from the test's XML files, and messages that show what was done to them. */
final class Log4j {
  private Log4j() {}

  /** A context configured from a {@code log4j2.xml}-style file on the test class path. */
  static LoggerContext start(String configFile) {
    LoggerContext context = new LoggerContext(configFile, null, uri(configFile));
    context.start();
    return context;
  }

  /** What {@code -Dlog4j2.contextSelector=...AsyncLoggerContextSelector} makes: every logger asynchronous. */
  static LoggerContext startAllAsync(String configFile) {
    LoggerContext context = new AsyncLoggerContext(configFile, null, uri(configFile));
    context.start();
    return context;
  }

  static void stop(LoggerContext context) {
    if (context != null) {
      context.stop(5, TimeUnit.SECONDS);
    }
  }

  private static URI uri(String configFile) {
    try {
      return Log4j.class.getResource("/" + configFile).toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An object that counts how often it is turned into text. */
  static final class Counted {
    final AtomicInteger toStringCalls = new AtomicInteger();

    @Override
    public String toString() {
      toStringCalls.incrementAndGet();
      return "counted";
    }
  }

  /**
   * A message Log4j leaves unformatted until an appender asks (as it does map and structured
   * messages), counting how often that happens.
   */
  @AsynchronouslyFormattable
  static class LazyMessage implements Message, StringBuilderFormattable {
    final AtomicInteger formatted = new AtomicInteger();
    private final String text;

    LazyMessage(String text) {
      this.text = text;
    }

    @Override
    public void formatTo(StringBuilder buffer) {
      formatted.incrementAndGet();
      buffer.append(text);
    }

    @Override
    public String getFormattedMessage() {
      StringBuilder b = new StringBuilder();
      formatTo(b);
      return b.toString();
    }

    @Override
    @SuppressWarnings("deprecation") // still part of the interface
    public String getFormat() {
      return text;
    }

    @Override
    public Object[] getParameters() {
      return null;
    }

    @Override
    public Throwable getThrowable() {
      return null;
    }
  }

  /** A message whose formatting fails (a hostile toString, say). */
  @AsynchronouslyFormattable // not inherited: each subclass says so itself
  static final class ExplodingMessage extends LazyMessage {
    ExplodingMessage() {
      super("never");
    }

    @Override
    public void formatTo(StringBuilder buffer) {
      throw new IllegalStateException("formatting exploded");
    }
  }

  /** A message whose formatting logs a line of its own first. */
  @AsynchronouslyFormattable
  static final class SelfLoggingMessage extends LazyMessage {
    private final Runnable logSomething;

    SelfLoggingMessage(String text, Runnable logSomething) {
      super(text);
      this.logSomething = logSomething;
    }

    @Override
    public void formatTo(StringBuilder buffer) {
      logSomething.run();
      super.formatTo(buffer);
    }
  }

  /**
   * A message that, formatted by an appender on Log4j's thread, holds that thread until released:
   * the lines logged meanwhile wait in the asynchronous queue while the logging thread moves on.
   */
  @AsynchronouslyFormattable
  static final class BlockingMessage extends LazyMessage {
    private final Thread loggingThread = Thread.currentThread();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile Thread formattingThread;

    BlockingMessage() {
      super("plug");
    }

    @Override
    public void formatTo(StringBuilder buffer) {
      formattingThread = Thread.currentThread();
      reached.countDown();
      if (formattingThread != loggingThread) { // never hold the test itself
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.formatTo(buffer);
    }

    /** Waits until Log4j's thread is held here, so what is logged next queues behind. */
    void awaitHeld() throws InterruptedException {
      if (!reached.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the recording thread never formatted the plug");
      }
      if (formattingThread == loggingThread) {
        throw new AssertionError("the plug was formatted on the logging thread, so nothing queues behind it");
      }
    }

    void release() {
      release.countDown();
    }
  }
}
