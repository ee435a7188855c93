package io.mintaro.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.status.Status;
import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedError;
import io.mintaro.test.RecordedLog;
import io.mintaro.test.RecordedTrigger;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The appender records every line logged inside a trace, at every level the logger lets through,
 * into that trace; lines outside any trace are skipped; an ERROR line triggers collection; and
 * nothing it does ever reaches the code that logs.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroAppenderTest {
  private static final String LOGGER = "io.mintaro.demo.Payments";

  @RegisterExtension
  final MintaroExtension mintaro = new MintaroExtension();

  private LoggerContext logback;
  private MintaroAppender appender;
  private Logger log;

  @BeforeEach
  void setUp() {
    logback = new LoggerContext();
    logback.setName("mintaro-appender-test");
    logback.start();
    appender = new MintaroAppender();
    appender.setContext(logback);
    appender.setName("MINTARO");
    appender.start();
    Logger root = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.TRACE);
    root.addAppender(appender);
    log = logback.getLogger(LOGGER);
  }

  @AfterEach
  void tearDown() {
    logback.stop();
  }

  @Test
  void linesAtEveryLevelInsideASpanAreRecordedWithLoggerThreadAndFormattedMessage() {
    String traceId;
    String spanId;
    try (Span root = Mintaro.startSpan("charge")) {
      traceId = root.traceId();
      spanId = root.spanId();
      log.trace("entering charge for {}", "order-7");
      log.debug("card {} amount {}", "4242", 12);
      log.info("charging");
      log.warn("slow gateway: {} ms", 1500);
      log.error("declined: {}", "insufficient funds");
    }

    List<RecordedLog> logs = mintaro.trace(traceId).logs();
    assertThat(logs).extracting(RecordedLog::level, RecordedLog::message).containsExactly(
        tuple("TRACE", "entering charge for order-7"),
        tuple("DEBUG", "card 4242 amount 12"),
        tuple("INFO", "charging"),
        tuple("WARN", "slow gateway: 1500 ms"),
        tuple("ERROR", "declined: insufficient funds"));
    assertThat(logs).allSatisfy(line -> {
      assertThat(line.logger()).isEqualTo(LOGGER);
      assertThat(line.thread()).isEqualTo(Thread.currentThread().getName());
      assertThat(line.spanId()).isEqualTo(spanId);
      assertThat(line.error()).isNull();
    });
  }

  @Test
  void aLineBelongsToTheInnermostOpenSpan() {
    String traceId;
    String childSpanId;
    try (Span root = Mintaro.startSpan("checkout")) {
      traceId = root.traceId();
      try (Span child = Mintaro.startSpan("charge-card")) {
        childSpanId = child.spanId();
        log.info("inside the child");
      }
    }

    assertThat(mintaro.trace(traceId).logs()).extracting(RecordedLog::spanId).containsExactly(childSpanId);
  }

  @Test
  void anExceptionIsRecordedWithTypeMessageAndStackTrace() {
    String traceId;
    try (Span root = Mintaro.startSpan("charge")) {
      traceId = root.traceId();
      log.warn("gateway call {} failed, retrying", 2, new IllegalStateException("gateway timeout",
          new IOException("connection reset")));
    }

    RecordedLog line = mintaro.trace(traceId).logs().get(0);
    assertThat(line.message()).isEqualTo("gateway call 2 failed, retrying");
    RecordedError error = line.error();
    assertThat(error.type()).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.message()).isEqualTo("gateway timeout");
    assertThat(error.stack()).startsWith("java.lang.IllegalStateException: gateway timeout")
        .contains("at io.mintaro.logback.MintaroAppenderTest.anExceptionIsRecordedWithTypeMessageAndStackTrace")
        .contains("Caused by: java.io.IOException: connection reset");
  }

  @Test
  void linesAtLevelsTheLoggerSwitchedOffAreNotRecorded() {
    log.setLevel(Level.INFO);
    String traceId;
    try (Span root = Mintaro.startSpan("charge")) {
      traceId = root.traceId();
      log.debug("not kept");
      log.info("kept");
    }

    assertThat(mintaro.trace(traceId).logs()).extracting(RecordedLog::message).containsExactly("kept");
  }

  @Test
  void linesOutsideAnyTraceAreIgnored() {
    long before = mintaro.sdk().stats().bytesRecorded();

    log.info("between requests");
    log.error("an error outside any trace", new IllegalStateException("boom"));

    assertThat(Mintaro.traceId()).isNull();
    assertThat(mintaro.sdk().stats().bytesRecorded()).as("nothing written to the ring").isEqualTo(before);
    assertThat(mintaro.traces()).isEmpty();
    assertThat(mintaro.triggers()).as("nor triggered").isEmpty();
  }

  @Test
  void linesAfterTheSpanEndedAreNotAddedToItsTrace() {
    String traceId;
    try (Span root = Mintaro.startSpan("charge")) {
      traceId = root.traceId();
      log.info("during");
    }
    log.info("after");

    assertThat(mintaro.trace(traceId).logs()).extracting(RecordedLog::message).containsExactly("during");
  }

  // Triggers. Switching the ERROR trigger off is in MintaroAppenderWithoutErrorLogTriggerTest.

  @Test
  void anErrorLineInsideATraceTriggersCollection() {
    String traceId;
    try (Span root = Mintaro.startSpan("charge")) {
      traceId = root.traceId();
      log.error("card declined");
    }

    assertThat(mintaro.triggers()).containsExactly(new RecordedTrigger(traceId, "error", "ERROR log: card declined"));
  }

  @Test
  void linesBelowErrorDoNotTrigger() {
    try (Span root = Mintaro.startSpan("charge")) {
      log.trace("t");
      log.debug("d");
      log.info("i");
      log.warn("w", new IllegalStateException("handled"));
    }

    assertThat(mintaro.triggers()).isEmpty();
  }

  // Never into the application.

  @Test
  void anArgumentWhoseToStringThrowsDoesNotReachTheCaller() {
    Object hostile = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("toString exploded");
      }
    };
    String traceId;
    try (Span root = Mintaro.startSpan("charge")) {
      traceId = root.traceId();
      assertThatCode(() -> log.info("value: {}", hostile)).doesNotThrowAnyException();
    }

    assertThat(mintaro.trace(traceId).logs()).singleElement()
        .satisfies(line -> assertThat(line.message()).startsWith("value: [FAILED toString()"));
  }

  @Test
  void aFailureInsideTheAppenderNeverThrowsIntoTheLogger() {
    LoggingEvent broken = new LoggingEvent("test", log, Level.INFO, "message", null, null) {
      @Override
      public String getFormattedMessage() {
        throw new IllegalStateException("formatting exploded");
      }
    };

    try (Span root = Mintaro.startSpan("charge")) {
      assertThatCode(() -> appender.doAppend(broken)).doesNotThrowAnyException();
      assertThatCode(() -> log.info("the next line still goes through")).doesNotThrowAnyException();
    }

    assertThat(appender.isStarted()).isTrue();
    assertThat(logback.getStatusManager().getCopyOfStatusList()).anySatisfy(status -> {
      assertThat(status.getLevel()).isEqualTo(Status.ERROR);
      assertThat(status.getMessage()).isEqualTo("Mintaro could not record a log event");
      assertThat(status.getThrowable()).hasMessage("formatting exploded");
    });
  }

  @Test
  void itCanBeDeclaredInLogbackXml() throws Exception {
    LoggerContext configured = new LoggerContext();
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(configured);
      configurator.doConfigure(new ByteArrayInputStream("""
          <configuration>
            <appender name="MINTARO" class="io.mintaro.logback.MintaroAppender"/>
            <root level="DEBUG"><appender-ref ref="MINTARO"/></root>
          </configuration>
          """.getBytes(StandardCharsets.UTF_8)));
      String traceId;
      try (Span root = Mintaro.startSpan("charge")) {
        traceId = root.traceId();
        configured.getLogger("from.xml").debug("configured by {}", "logback.xml");
        configured.getLogger("from.xml").trace("below the root level");
      }

      assertThat(mintaro.trace(traceId).logs()).extracting(RecordedLog::message)
          .containsExactly("configured by logback.xml");
    } finally {
      configured.stop();
    }
  }
}
