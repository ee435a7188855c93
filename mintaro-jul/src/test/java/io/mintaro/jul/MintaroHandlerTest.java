package io.mintaro.jul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedError;
import io.mintaro.test.RecordedLog;
import io.mintaro.test.RecordedTrace;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every record published inside a trace is recorded into it, with its level mapped to Mintaro's,
 * its message formatted as {@code Formatter.formatMessage} does; records outside any trace are
 * skipped before anything is formatted; a SEVERE record triggers collection; and nothing the
 * handler does ever reaches the code that logs.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroHandlerTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private final MintaroHandler handler = new MintaroHandler();
  private Logger log;

  @BeforeEach
  void attach(TestInfo test) {
    // A logger of its own per test (JUL loggers live as long as the JVM), with only Mintaro on it.
    log = Logger.getLogger("io.mintaro.demo.Payments." + test.getTestMethod().orElseThrow().getName());
    log.setUseParentHandlers(false);
    log.setLevel(Level.ALL);
    log.addHandler(handler);
  }

  @AfterEach
  void detach() {
    log.removeHandler(handler);
  }

  @Test
  void everyLevelIsRecordedAsMintaroNamesItWithLoggerAndThread() {
    String spanId;
    try (Span span = Mintaro.startSpan("charge")) {
      spanId = span.spanId();
      log.severe("severe");
      log.warning("warning");
      log.info("info");
      log.config("config");
      log.fine("fine");
      log.finer("finer");
      log.finest("finest");
      log.log(Level.parse("850"), "a custom level between WARNING and INFO");
    }

    List<RecordedLog> logs = mintaro.onlyTrace().logs();
    assertThat(logs).extracting(RecordedLog::level, RecordedLog::message).containsExactly(
        tuple("ERROR", "severe"),
        tuple("WARN", "warning"),
        tuple("INFO", "info"),
        tuple("INFO", "config"),
        tuple("DEBUG", "fine"),
        tuple("TRACE", "finer"),
        tuple("TRACE", "finest"),
        tuple("INFO", "a custom level between WARNING and INFO"));
    assertThat(logs).allSatisfy(line -> {
      assertThat(line.logger()).isEqualTo(log.getName());
      assertThat(line.thread()).isEqualTo(Thread.currentThread().getName());
      assertThat(line.spanId()).isEqualTo(spanId);
      assertThat(line.error()).isNull();
    });
  }

  @Test
  void theMessageIsFormattedAsFormatterFormatMessageDoes() {
    try (Span span = Mintaro.startSpan("charge")) {
      log.log(Level.INFO, "card {0} amount {1}", new Object[] {"4242", 12});
      log.log(Level.INFO, "no placeholder, so {} stays as it is", "ignored");
      log.logrb(Level.WARNING, ResourceBundle.getBundle(Messages.class.getName()), "charge.declined", "4242",
          "insufficient funds");
      log.logrb(Level.INFO, ResourceBundle.getBundle(Messages.class.getName()), "not.in.the.bundle");
    }

    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly(
        "card 4242 amount 12",
        "no placeholder, so {} stays as it is",
        "Card 4242 was declined: insufficient funds",
        "not.in.the.bundle");
  }

  @Test
  void anExceptionIsRecordedWithTypeMessageAndStackTrace() {
    try (Span span = Mintaro.startSpan("charge")) {
      log.log(Level.WARNING, "gateway call failed, retrying",
          new IllegalStateException("gateway timeout", new IOException("connection reset")));
    }

    RecordedError error = mintaro.onlyTrace().logs().get(0).error();
    assertThat(error.type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.message()).isEqualTo("gateway timeout");
    assertThat(error.stack()).startsWith("java.lang.IllegalStateException: gateway timeout")
        .contains("at io.mintaro.jul.MintaroHandlerTest.anExceptionIsRecordedWithTypeMessageAndStackTrace")
        .contains("Caused by: java.io.IOException: connection reset");
  }

  @Test
  void aRecordBelongsToTheInnermostOpenSpan() {
    String childSpanId;
    try (Span root = Mintaro.startSpan("checkout")) {
      try (Span child = Mintaro.startSpan("charge-card")) {
        childSpanId = child.spanId();
        log.info("inside the child");
      }
      log.info("back in the root");
    }

    RecordedTrace trace = mintaro.onlyTrace();
    assertThat(trace.logs()).extracting(RecordedLog::spanId)
        .containsExactly(childSpanId, trace.span("checkout").spanId());
  }

  @Test
  void recordsOutsideAnyTraceAreIgnoredAndNeverFormatted() {
    Counted outside = new Counted();
    Counted inside = new Counted();

    log.log(Level.SEVERE, "outside a trace: {0}", outside);
    try (Span span = Mintaro.startSpan("charge")) {
      log.log(Level.INFO, "inside: {0}", inside);
    }

    assertThat(outside.toStringCalls).as("formatted outside a trace").hasValue(0);
    assertThat(inside.toStringCalls).as("formatted inside a trace").hasValue(1);
    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly("inside: counted");
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void theRecordsThreadIsNamedWhenItIsTheOneThatPublishesAndNumberedOtherwise() throws InterruptedException {
    AtomicReference<LogRecord> fromElsewhere = new AtomicReference<>();
    Thread worker = new Thread(() -> fromElsewhere.set(new LogRecord(Level.INFO, "made on the worker")), "worker-7");
    worker.start();
    worker.join();

    try (Span span = Mintaro.startSpan("charge")) {
      log.info("made here");
      log.log(fromElsewhere.get()); // a handler that queues records would publish them like this
    }

    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message, RecordedLog::thread).containsExactly(
        tuple("made here", Thread.currentThread().getName()),
        tuple("made on the worker", "thread-" + worker.getId()));
  }

  // Levels and configuration.

  @Test
  void recordsBelowTheHandlersLevelAreNotRecorded() {
    handler.setLevel(Level.INFO);
    try (Span span = Mintaro.startSpan("charge")) {
      log.fine("not kept");
      log.info("kept");
    }

    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly("kept");
  }

  @Test
  void itIsConfiguredFromLoggingProperties() throws IOException {
    LogManager manager = LogManager.getLogManager();
    try (InputStream properties = getClass().getResourceAsStream("/logging.properties")) {
      manager.readConfiguration(properties);
    }
    try {
      Logger configured = Logger.getLogger("io.mintaro.demo.Configured");
      assertThat(Logger.getLogger("").getHandlers()).hasAtLeastOneElementOfType(MintaroHandler.class);
      try (Span span = Mintaro.startSpan("charge")) {
        configured.finest("below the handler's level (FINE)");
        configured.fine("kept");
        configured.log(Level.CONFIG, "kept at {0}", "CONFIG");
        configured.info("health check: ok"); // dropped by the configured filter
      }

      assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::level, RecordedLog::message)
          .containsExactly(tuple("DEBUG", "kept"), tuple("INFO", "kept at CONFIG"));
    } finally {
      manager.reset();
    }
  }

  @Test
  void itDefaultsToEveryLevelTheLoggersLetThrough() {
    assertThat(new MintaroHandler().getLevel()).isEqualTo(Level.ALL);
  }

  @Test
  void aClosedHandlerRecordsNothing() {
    handler.close();
    try (Span span = Mintaro.startSpan("charge")) {
      log.severe("after close");
    }

    assertThat(mintaro.traces()).allSatisfy(trace -> assertThat(trace.logs()).isEmpty());
    assertThat(mintaro.triggers()).isEmpty();
  }

  // Triggers.

  @Test
  void aSevereRecordInsideATraceTriggersCollectionOfThatTrace() {
    String traceId;
    try (Span span = Mintaro.startSpan("charge")) {
      traceId = span.traceId();
      log.severe("card declined");
    }

    assertThat(mintaro.triggers()).singleElement().satisfies(trigger -> {
      assertThat(trigger.traceId()).isEqualTo(traceId);
      assertThat(trigger.kind()).isEqualTo("error");
      assertThat(trigger.reason()).contains("card declined");
    });
  }

  @Test
  void recordsBelowSevereDoNotTrigger() {
    try (Span span = Mintaro.startSpan("charge")) {
      log.warning("w");
      log.info("i");
      log.finest("f");
      log.log(Level.WARNING, "handled", new IllegalStateException("handled"));
    }

    assertThat(mintaro.onlyTrace().logs()).hasSize(4);
    assertThat(mintaro.triggers()).isEmpty();
  }

  // Never into the application.

  @Test
  void aParameterWhoseToStringThrowsLeavesTheUnformattedMessage() {
    Object hostile = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("toString exploded");
      }
    };
    try (Span span = Mintaro.startSpan("charge")) {
      assertThatCode(() -> log.log(Level.INFO, "value: {0}", hostile)).doesNotThrowAnyException();
    }

    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly("value: {0}");
  }

  @Test
  void aFailureInsideTheHandlerNeverReachesTheCallerAndIsReported() {
    List<String> reported = new CopyOnWriteArrayList<>();
    handler.setErrorManager(new ErrorManager() {
      @Override
      public void error(String msg, Exception ex, int code) {
        reported.add(msg + ": " + ex.getMessage());
      }
    });
    LogRecord broken = new LogRecord(Level.INFO, "never") {
      @Override
      public String getMessage() {
        throw new IllegalStateException("getMessage exploded");
      }
    };

    try (Span span = Mintaro.startSpan("charge")) {
      assertThatCode(() -> log.log(broken)).doesNotThrowAnyException();
      log.info("the next record still goes through");
    }

    assertThat(reported).containsExactly("Mintaro could not record a log record: getMessage exploded");
    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message)
        .containsExactly("the next record still goes through");
  }

  @Test
  void aRecordLoggedWhileARecordIsFormattedIsNotRecordedAndNothingRecurses() {
    AtomicInteger depth = new AtomicInteger();
    Object logsWhenFormatted = new Object() {
      @Override
      public String toString() {
        if (depth.incrementAndGet() < 100) { // without the guard, this would go on and on
          log.log(Level.INFO, "inner, logged by the toString of the parameter: {0}", this);
        }
        return "outer";
      }
    };
    try (Span span = Mintaro.startSpan("charge")) {
      log.log(Level.INFO, "value: {0}", logsWhenFormatted);
    }

    assertThat(depth).hasValue(1);
    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly("value: outer");
  }

  @Test
  void aThreadOfMintaroItselfLoggingOutsideATraceIsIgnoredAndNeverBlocked() throws InterruptedException {
    Thread agent = new Thread(() -> {
      log.warning("mintaro agent: collector refused a batch");
      log.log(Level.SEVERE, "mintaro agent: send failed", new IOException("connection refused"));
    }, "mintaro-agent-send");
    agent.start();
    agent.join(5_000);

    assertThat(agent.isAlive()).isFalse();
    assertThat(mintaro.traces()).isEmpty();
    assertThat(mintaro.triggers()).isEmpty();
  }

  /** An object that counts how often it is turned into text. */
  private static final class Counted {
    final AtomicInteger toStringCalls = new AtomicInteger();

    @Override
    public String toString() {
      toStringCalls.incrementAndGet();
      return "counted";
    }
  }
}
