package io.mintaro.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.log4j2.Log4j.BlockingMessage;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedLog;
import io.mintaro.test.RecordedTrace;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With asynchronous loggers and appenders, lines are recorded on Log4j's own thread, where no
 * Mintaro context is current, often after the logging thread has moved on to another span or
 * trace. Each line still lands in the span it was logged in: it carries its trace from the thread
 * that logged it.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class AsyncLoggingTest {
  private static final String LOGGER = "io.mintaro.demo.Orders"; // asynchronous in every setup

  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private LoggerContext log4j;

  /** The three ways Log4j2 records a line on another thread. */
  enum Setup {
    /** {@code -Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector}. */
    ALL_ASYNC_LOGGERS(() -> Log4j.startAllAsync("log4j2-all-async.xml")),
    /** {@code <AsyncLogger>} in log4j2.xml, beside synchronous ones. */
    ASYNC_LOGGER_IN_CONFIG(() -> Log4j.start("log4j2-async-logger.xml")),
    /** {@code <Async>} appender in front of Mintaro. */
    ASYNC_APPENDER(() -> Log4j.start("log4j2-async-appender.xml"));

    final Supplier<LoggerContext> start;

    Setup(Supplier<LoggerContext> start) {
      this.start = start;
    }
  }

  @AfterEach
  void stopLog4j() {
    Log4j.stop(log4j);
  }

  private Logger start(Setup setup) {
    log4j = setup.start.get();
    return log4j.getLogger(LOGGER);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void aLineIsRecordedIntoTheSpanItWasLoggedInAfterTheLoggingThreadMovedOn(Setup setup) throws Exception {
    Logger log = start(setup);
    BlockingMessage plug = new BlockingMessage();
    String firstTrace;
    String firstSpan;
    String secondTrace;
    String secondSpan;
    try (Span held = Mintaro.startSpan("plug")) {
      log.info(plug);
    }
    plug.awaitHeld(); // from here on, every line waits in the queue until released
    try (Span first = Mintaro.startSpan("first")) {
      firstTrace = first.traceId();
      firstSpan = first.spanId();
      log.info("logged in the first trace, by {}", "orders");
    }
    try (Span second = Mintaro.startSpan("second")) {
      secondTrace = second.traceId();
      secondSpan = second.spanId();
      log.warn("logged in the second trace", new IOException("connection reset"));
    }
    plug.release();

    RecordedLog first = mintaro.awaitTrace(firstTrace, t -> t.logs().size() == 1).logs().get(0);
    RecordedLog second = mintaro.awaitTrace(secondTrace, t -> t.logs().size() == 1).logs().get(0);
    assertThat(first.spanId()).isEqualTo(firstSpan);
    assertThat(first.message()).isEqualTo("logged in the first trace, by orders");
    assertThat(first.thread()).as("the thread that logged, not Log4j's").isEqualTo(Thread.currentThread().getName());
    assertThat(first.logger()).isEqualTo(LOGGER);
    assertThat(second.spanId()).isEqualTo(secondSpan);
    assertThat(second.level()).isEqualTo("WARN");
    assertThat(second.error().type()).isEqualTo("java.io.IOException");
    assertThat(second.error().stack()).contains("at io.mintaro.log4j2.AsyncLoggingTest");
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void linesLoggedOutsideATraceAreIgnored(Setup setup) {
    Logger log = start(setup);
    String traceId;

    log.error("between requests");
    try (Span span = Mintaro.startSpan("checkout")) {
      traceId = span.traceId();
      log.info("inside"); // queued behind the first line, so recorded after it was dropped
    }

    RecordedTrace trace = mintaro.awaitTrace(traceId, t -> t.logs().size() == 1);
    assertThat(trace.logs()).extracting(RecordedLog::message).containsExactly("inside");
    assertThat(mintaro.traces()).hasSize(1);
    assertThat(mintaro.triggers()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void anErrorLineTriggersCollectionOfTheTraceItWasLoggedIn(Setup setup) {
    Logger log = start(setup);
    String traceId;
    try (Span span = Mintaro.startSpan("checkout")) {
      traceId = span.traceId();
      log.error("payment failed");
    }

    mintaro.awaitTrace(traceId, t -> t.logs().size() == 1);
    assertThat(mintaro.triggers()).singleElement().satisfies(trigger -> {
      assertThat(trigger.traceId()).isEqualTo(traceId);
      assertThat(trigger.kind()).isEqualTo("error");
    });
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void aThreadOfMintaroItselfLoggingOutsideATraceIsIgnored(Setup setup) throws InterruptedException {
    Logger log = start(setup);
    Thread agent = new Thread(() -> log.error("mintaro agent: send failed"), "mintaro-agent-send");
    agent.start();
    agent.join(5_000);
    String traceId;
    try (Span span = Mintaro.startSpan("checkout")) {
      traceId = span.traceId();
      log.info("marker");
    }

    mintaro.awaitTrace(traceId, t -> t.logs().size() == 1);
    assertThat(agent.isAlive()).isFalse();
    assertThat(mintaro.traces()).hasSize(1);
    assertThat(mintaro.triggers()).isEmpty();
  }
}
