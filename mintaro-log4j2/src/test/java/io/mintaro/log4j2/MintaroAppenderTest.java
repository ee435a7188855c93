package io.mintaro.log4j2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.log4j2.Log4j.Counted;
import io.mintaro.log4j2.Log4j.ExplodingMessage;
import io.mintaro.log4j2.Log4j.LazyMessage;
import io.mintaro.log4j2.Log4j.SelfLoggingMessage;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedError;
import io.mintaro.test.RecordedLog;
import io.mintaro.test.RecordedTrace;
import io.mintaro.test.RecordedTrigger;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.message.ReusableSimpleMessage;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With synchronous loggers, configured from a real {@code log4j2.xml}: every line logged inside a
 * trace is recorded into it, at every level the configuration lets through; lines outside any
 * trace are skipped before anything is formatted; an ERROR line triggers collection; and nothing
 * the appender does ever reaches the code that logs.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroAppenderTest {
  private static final String LOGGER = "io.mintaro.demo.Payments";

  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  private LoggerContext log4j;
  private Logger log;

  @BeforeEach
  void startLog4j() {
    log4j = Log4j.start("log4j2-mintaro.xml");
    log = log4j.getLogger(LOGGER);
  }

  @AfterEach
  void stopLog4j() {
    Log4j.stop(log4j);
  }

  @Test
  void theAppenderIsDeclaredInLog4j2XmlWithoutAPackagesAttribute() {
    Appender declared = log4j.getConfiguration().getAppender("MINTARO");

    assertThat(declared).isInstanceOf(MintaroAppender.class);
    assertThat(declared.isStarted()).isTrue();
  }

  @Test
  void linesAtEveryLevelInsideATraceAreRecordedWithLoggerThreadAndFormattedMessage() {
    String spanId;
    try (Span span = Mintaro.startSpan("charge")) {
      spanId = span.spanId();
      log.trace("entering charge for {}", "order-7");
      log.debug("card {} amount {}", "4242", 12);
      log.info("charging");
      log.log(Level.forName("NOTICE", 350), "a custom level between WARN and INFO");
      log.warn("slow gateway: {} ms", 1500);
      log.error("declined: {}", "insufficient funds");
      log.fatal("gateway gone");
    }

    List<RecordedLog> logs = mintaro.onlyTrace().logs();
    assertThat(logs).extracting(RecordedLog::level, RecordedLog::message).containsExactly(
        tuple("TRACE", "entering charge for order-7"),
        tuple("DEBUG", "card 4242 amount 12"),
        tuple("INFO", "charging"),
        tuple("INFO", "a custom level between WARN and INFO"),
        tuple("WARN", "slow gateway: 1500 ms"),
        tuple("ERROR", "declined: insufficient funds"),
        tuple("ERROR", "gateway gone"));
    assertThat(logs).allSatisfy(line -> {
      assertThat(line.logger()).isEqualTo(LOGGER);
      assertThat(line.thread()).isEqualTo(Thread.currentThread().getName());
      assertThat(line.spanId()).isEqualTo(spanId);
      assertThat(line.error()).isNull();
    });
  }

  @Test
  void anExceptionIsRecordedWithTypeMessageAndStackTrace() {
    try (Span span = Mintaro.startSpan("charge")) {
      log.warn("gateway call {} failed, retrying", 2,
          new IllegalStateException("gateway timeout", new IOException("connection reset")));
    }

    RecordedLog line = mintaro.onlyTrace().logs().get(0);
    assertThat(line.message()).isEqualTo("gateway call 2 failed, retrying");
    RecordedError error = line.error();
    assertThat(error.type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.message()).isEqualTo("gateway timeout");
    assertThat(error.stack()).startsWith("java.lang.IllegalStateException: gateway timeout")
        .contains("at io.mintaro.log4j2.MintaroAppenderTest.anExceptionIsRecordedWithTypeMessageAndStackTrace")
        .contains("Caused by: java.io.IOException: connection reset");
  }

  @Test
  void aLineBelongsToTheInnermostOpenSpan() {
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
  void linesOutsideAnyTraceAreIgnored() {
    log.info("between requests");
    log.error("an error outside any trace", new IllegalStateException("boom"));

    assertThat(mintaro.traces()).isEmpty();
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void aLineOutsideATraceIsNeverFormatted() {
    LazyMessage outside = new LazyMessage("outside");
    LazyMessage inside = new LazyMessage("inside");

    log.info(outside);
    try (Span span = Mintaro.startSpan("charge")) {
      log.info(inside);
    }

    assertThat(outside.formatted).as("formatted outside a trace").hasValue(0);
    assertThat(inside.formatted).as("formatted inside a trace").hasValue(1);
    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly("inside");
  }

  @Test
  void aParameterOfALineOutsideATraceIsNeverTurnedIntoText() {
    // The event Log4j builds when its thread-locals are off (web applications): the message's
    // parameters are turned into text only when an appender asks for the formatted message.
    MintaroAppender appender = log4j.getConfiguration().getAppender("MINTARO");
    Counted outside = new Counted();
    Counted inside = new Counted();

    appender.append(event(new ParameterizedMessage("value {}", outside)));
    try (Span span = Mintaro.startSpan("charge")) {
      appender.append(event(new ParameterizedMessage("value {}", inside)));
    }

    assertThat(outside.toStringCalls).hasValue(0);
    assertThat(inside.toStringCalls).hasValue(1);
    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly("value counted");
  }

  @Test
  void linesAtLevelsTheConfigurationSwitchesOffAreNotRecorded() {
    Logger quiet = log4j.getLogger("io.mintaro.demo.Quiet"); // INFO in log4j2-mintaro.xml
    try (Span span = Mintaro.startSpan("charge")) {
      quiet.debug("not kept");
      quiet.info("kept");
    }

    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message).containsExactly("kept");
  }

  // Triggers.

  @Test
  void anErrorLineInsideATraceTriggersCollectionOfThatTrace() {
    String traceId;
    try (Span span = Mintaro.startSpan("charge")) {
      traceId = span.traceId();
      log.error("card declined");
    }

    assertThat(mintaro.triggers()).singleElement().satisfies(trigger -> {
      assertThat(trigger.traceId()).isEqualTo(traceId);
      assertThat(trigger.kind()).isEqualTo("error");
      assertThat(trigger.reason()).contains("card declined");
    });
  }

  @Test
  void aFatalLineTriggersToo() {
    try (Span span = Mintaro.startSpan("charge")) {
      log.fatal("out of memory for ledgers");
    }

    assertThat(mintaro.triggers()).extracting(RecordedTrigger::kind).containsExactly("error");
  }

  @Test
  void linesBelowErrorDoNotTrigger() {
    try (Span span = Mintaro.startSpan("charge")) {
      log.trace("t");
      log.debug("d");
      log.info("i");
      log.warn("w", new IllegalStateException("handled"));
    }

    assertThat(mintaro.onlyTrace().logs()).hasSize(4);
    assertThat(mintaro.triggers()).isEmpty();
  }

  // Context data.

  @Test
  void insideATraceEventsCarryTheTraceIdForLayoutsToo() {
    StringWriter out = new StringWriter();
    addAppender(log4j, out);
    String traceId;

    log.info("before");
    try (Span span = Mintaro.startSpan("charge")) {
      traceId = span.traceId();
      log.info("inside");
    }

    assertThat(out.toString()).isEqualTo("[] before\n[" + traceId + "] inside\n");
  }

  @Test
  void withoutARunningMintaroAppenderEventsCarryNothing() {
    Log4j.stop(log4j); // its Mintaro appender stops with it
    LoggerContext plain = Log4j.start("log4j2-plain.xml");
    try {
      StringWriter out = new StringWriter();
      addAppender(plain, out);
      try (Span span = Mintaro.startSpan("charge")) {
        plain.getLogger(LOGGER).error("inside a trace");
      }

      assertThat(out.toString()).isEqualTo("[] inside a trace\n");
    } finally {
      Log4j.stop(plain);
    }
  }

  // Never into the application.

  @Test
  void aFailureInsideTheAppenderNeverReachesTheCaller() {
    List<StatusData> errors = new CopyOnWriteArrayList<>();
    StatusListener listener = listener(errors);
    StatusLogger.getLogger().registerListener(listener);
    try {
      ExplodingMessage exploding = new ExplodingMessage();
      try (Span span = Mintaro.startSpan("charge")) {
        assertThatCode(() -> log.info(exploding)).doesNotThrowAnyException();
        assertThatCode(() -> log.info("the next line still goes through")).doesNotThrowAnyException();
      }
    } finally {
      StatusLogger.getLogger().removeListener(listener);
    }

    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message)
        .containsExactly("the next line still goes through");
    assertThat(errors).anySatisfy(status -> {
      assertThat(status.getMessage().getFormattedMessage()).contains("Mintaro could not record a log event");
      assertThat(status.getThrowable()).hasMessage("formatting exploded");
    });
  }

  @Test
  void anAppenderSetNotToIgnoreExceptionsStillNeverThrows() {
    MintaroAppender strict = MintaroAppender.newBuilder().setName("STRICT").setIgnoreExceptions(false).build();
    strict.start();
    try {
      try (Span span = Mintaro.startSpan("charge")) {
        assertThatCode(() -> strict.append(event(new ExplodingMessage()))).doesNotThrowAnyException();
      }
    } finally {
      strict.stop();
    }
  }

  @Test
  void aLineLoggedWhileALineIsFormattedIsNotRecordedAndNothingRecurses() {
    LoggerContext other = Log4j.start("log4j2-mintaro.xml"); // a second Mintaro appender, reached from inside the first
    try {
      Logger nested = other.getLogger("io.mintaro.demo.Nested");
      SelfLoggingMessage logsWhileFormatted =
          new SelfLoggingMessage("outer", () -> nested.info("inner, logged by the message's own code"));
      try (Span span = Mintaro.startSpan("charge")) {
        log.info(logsWhileFormatted);
        nested.info("a line of its own");
      }
    } finally {
      Log4j.stop(other);
    }

    assertThat(mintaro.onlyTrace().logs()).extracting(RecordedLog::message)
        .containsExactly("outer", "a line of its own");
  }

  @Test
  void aThreadOfMintaroItselfLoggingOutsideATraceIsIgnoredAndNeverBlocked() throws InterruptedException {
    Thread agent = new Thread(() -> {
      log.warn("mintaro agent: collector refused a batch");
      log.error("mintaro agent: send failed", new IOException("connection refused"));
    }, "mintaro-agent-send");
    agent.start();
    agent.join(5_000);

    assertThat(agent.isAlive()).isFalse();
    assertThat(mintaro.traces()).isEmpty();
    assertThat(mintaro.triggers()).isEmpty();
  }

  @Test
  void aMessageLongerThanTheRecorderKeepsIsCutAndTheNextLineIsWhole() {
    String huge = "x".repeat(100_000);
    try (Span span = Mintaro.startSpan("charge")) {
      log.info(huge);
      log.info("short");
    }

    List<RecordedLog> logs = mintaro.onlyTrace().logs();
    assertThat(logs.get(0).message()).hasSizeLessThan(huge.length()).matches("x+");
    assertThat(logs.get(1).message()).isEqualTo("short");
  }

  @Test
  void aLineInsideATraceAllocatesNothingInTheAppenderOrTheRecorder() throws Exception {
    MintaroAppender appender = log4j.getConfiguration().getAppender("MINTARO");
    // A garbage-free event as Log4j's reusable paths hand it over: the text is formatted into it.
    ReusableSimpleMessage message = new ReusableSimpleMessage();
    message.set("charging card 4242 for order 7");
    LogEvent event = event(message);
    Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
    Object threads = ManagementFactory.getThreadMXBean();
    long allocated;
    try (Span span = Mintaro.startSpan("charge")) {
      for (int i = 0; i < 100; i++) { // every thread-local and buffer in place
        appender.append(event);
      }
      long before = (long) allocatedBytes.invoke(threads);
      for (int i = 0; i < 5_000; i++) {
        appender.append(event);
      }
      allocated = (long) allocatedBytes.invoke(threads) - before;
    }

    assertThat(mintaro.onlyTrace().logs()).hasSize(5_100);
    // Under a byte a line: one object a line would be 16 bytes or more. What is left is the
    // measuring itself and one-off JVM bookkeeping, the same for 5,000 lines as for 50,000.
    assertThat(allocated).as("bytes allocated by 5,000 lines").isLessThan(5_000);
  }

  private static Log4jLogEvent event(org.apache.logging.log4j.message.Message message) {
    return Log4jLogEvent.newBuilder().setLoggerName(LOGGER).setLevel(Level.INFO).setMessage(message).build();
  }

  private static void addAppender(LoggerContext context, StringWriter out) {
    WriterAppender text = WriterAppender.newBuilder().setName("TEXT").setTarget(out)
        .setLayout(PatternLayout.newBuilder().withPattern("[%X{mintaro.trace_id}] %m%n").build()).build();
    text.start();
    context.getConfiguration().addAppender(text);
    context.getConfiguration().getRootLogger().addAppender(text, Level.TRACE, null);
    context.getConfiguration().getRootLogger().setLevel(Level.TRACE);
    context.updateLoggers();
  }

  private static StatusListener listener(List<StatusData> errors) {
    return new StatusListener() {
      @Override
      public void log(StatusData data) {
        if (data.getLevel().isMoreSpecificThan(Level.ERROR)) {
          errors.add(data);
        }
      }

      @Override
      public Level getStatusLevel() {
        return Level.ERROR;
      }

      @Override
      public void close() {}
    };
  }
}
