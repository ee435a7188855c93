package io.mintaro.logback;

import static io.mintaro.internal.agent.RingDump.list;
import static io.mintaro.internal.agent.RingDump.map;
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
import io.mintaro.MintaroSdk;
import io.mintaro.Span;
import io.mintaro.TestSdks;
import io.mintaro.internal.RecordingSpan;
import io.mintaro.internal.agent.RingDump;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The appender records every line logged inside a trace, at every level the logger lets through,
 * into that trace; lines outside any trace are skipped; an ERROR line triggers collection; and
 * nothing it does ever reaches the code that logs.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class MintaroAppenderTest {
  private static final String LOGGER = "io.mintaro.demo.Payments";

  private MintaroSdk sdk;
  private LoggerContext logback;
  private MintaroAppender appender;
  private Logger log;

  @BeforeEach
  void setUp() {
    // One trigger token and almost no refill: whether a trigger fired shows in a probe (see below).
    sdk = MintaroSdk.builder().service("payments").triggerRateLimit(1e-9, 1).build();
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
    sdk.close();
    TestSdks.clearContext();
  }

  @Test
  void linesAtEveryLevelInsideASpanAreRecordedWithLoggerThreadAndFormattedMessage() {
    String traceId;
    String spanId;
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      traceId = root.traceId();
      spanId = root.spanId();
      log.trace("entering charge for {}", "order-7");
      log.debug("card {} amount {}", "4242", 12);
      log.info("charging");
      log.warn("slow gateway: {} ms", 1500);
      log.error("declined: {}", "insufficient funds");
    }

    List<Map<String, Object>> logs = list(RingDump.trace(sdk, traceId), "logs");
    assertThat(logs).extracting(l -> l.get("level"), l -> l.get("message")).containsExactly(
        tuple("TRACE", "entering charge for order-7"),
        tuple("DEBUG", "card 4242 amount 12"),
        tuple("INFO", "charging"),
        tuple("WARN", "slow gateway: 1500 ms"),
        tuple("ERROR", "declined: insufficient funds"));
    assertThat(logs).allSatisfy(line -> assertThat(line).containsEntry("logger", LOGGER)
        .containsEntry("thread", Thread.currentThread().getName()).containsEntry("spanId", spanId)
        .containsEntry("error", null));
  }

  @Test
  void aLineBelongsToTheInnermostOpenSpan() {
    String traceId;
    String childSpanId;
    try (RecordingSpan root = TestSdks.root(sdk, "checkout")) {
      traceId = root.traceId();
      try (Span child = Mintaro.startSpan("charge-card")) {
        childSpanId = child.spanId();
        log.info("inside the child");
      }
    }

    assertThat(list(RingDump.trace(sdk, traceId), "logs")).singleElement()
        .satisfies(line -> assertThat(line).containsEntry("spanId", childSpanId));
  }

  @Test
  void anExceptionIsRecordedWithTypeMessageAndStackTrace() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      traceId = root.traceId();
      log.warn("gateway call {} failed, retrying", 2, new IllegalStateException("gateway timeout",
          new IOException("connection reset")));
    }

    Map<String, Object> line = list(RingDump.trace(sdk, traceId), "logs").get(0);
    assertThat(line).containsEntry("message", "gateway call 2 failed, retrying");
    Map<String, Object> error = map(line.get("error"));
    assertThat(error).containsEntry("type", "java.lang.IllegalStateException")
        .containsEntry("message", "gateway timeout");
    assertThat((String) error.get("stack")).startsWith("java.lang.IllegalStateException: gateway timeout")
        .contains("at io.mintaro.logback.MintaroAppenderTest.anExceptionIsRecordedWithTypeMessageAndStackTrace")
        .contains("Caused by: java.io.IOException: connection reset");
  }

  @Test
  void linesAtLevelsTheLoggerSwitchedOffAreNotRecorded() {
    log.setLevel(Level.INFO);
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      traceId = root.traceId();
      log.debug("not kept");
      log.info("kept");
    }

    assertThat(list(RingDump.trace(sdk, traceId), "logs")).extracting(l -> l.get("message")).containsExactly("kept");
  }

  @Test
  void linesOutsideAnyTraceAreIgnored() {
    long before = sdk.stats().bytesRecorded();

    log.info("between requests");
    log.error("an error outside any trace", new IllegalStateException("boom"));

    assertThat(Mintaro.traceId()).isNull();
    assertThat(sdk.stats().bytesRecorded()).as("nothing written to the ring").isEqualTo(before);
    assertThat(probeWasRateLimited()).as("nor triggered").isFalse();
  }

  @Test
  void linesAfterTheSpanEndedAreNotAddedToItsTrace() {
    String traceId;
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      traceId = root.traceId();
      log.info("during");
    }
    log.info("after");

    assertThat(list(RingDump.trace(sdk, traceId), "logs")).extracting(l -> l.get("message")).containsExactly("during");
  }

  // Triggers. Without a collector a trigger leaves nothing in the ring, but it spends the SDK's
  // only trigger token: a probe trigger afterwards is then refused by the rate limit.

  @Test
  void anErrorLineInsideATraceTriggersCollection() {
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      log.error("card declined");
    }

    assertThat(probeWasRateLimited()).isTrue();
  }

  @Test
  void linesBelowErrorDoNotTrigger() {
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      log.trace("t");
      log.debug("d");
      log.info("i");
      log.warn("w", new IllegalStateException("handled"));
    }

    assertThat(probeWasRateLimited()).isFalse();
  }

  @Test
  void anErrorLineDoesNotTriggerWhenTheSdkSaysNot() {
    sdk.close();
    sdk = MintaroSdk.builder().service("payments").triggerRateLimit(1e-9, 1).triggerOnErrorLog(false).build();
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      log.error("card declined");
    }

    assertThat(probeWasRateLimited()).isFalse();
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
    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
      traceId = root.traceId();
      assertThatCode(() -> log.info("value: {}", hostile)).doesNotThrowAnyException();
    }

    assertThat(list(RingDump.trace(sdk, traceId), "logs")).singleElement()
        .satisfies(line -> assertThat((String) line.get("message")).startsWith("value: [FAILED toString()"));
  }

  @Test
  void aFailureInsideTheAppenderNeverThrowsIntoTheLogger() {
    LoggingEvent broken = new LoggingEvent("test", log, Level.INFO, "message", null, null) {
      @Override
      public String getFormattedMessage() {
        throw new IllegalStateException("formatting exploded");
      }
    };

    try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
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
      try (RecordingSpan root = TestSdks.root(sdk, "charge")) {
        traceId = root.traceId();
        configured.getLogger("from.xml").debug("configured by {}", "logback.xml");
        configured.getLogger("from.xml").trace("below the root level");
      }

      assertThat(list(RingDump.trace(sdk, traceId), "logs")).extracting(l -> l.get("message"))
          .containsExactly("configured by logback.xml");
    } finally {
      configured.stop();
    }
  }

  private boolean probeWasRateLimited() {
    try (RecordingSpan probe = TestSdks.root(sdk, "probe")) {
      Mintaro.trigger("probe");
    }
    return sdk.stats().triggersRateLimited() > 0;
  }
}
