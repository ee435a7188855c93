package io.mintaro.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With the SDK's ERROR-log trigger switched off, an ERROR line is recorded and triggers nothing. */
class MintaroAppenderWithoutErrorLogTriggerTest {
  @RegisterExtension
  final MintaroExtension mintaro = MintaroExtension.withConfig(b -> b.triggerOnErrorLog(false));

  private LoggerContext logback;
  private Logger log;

  @BeforeEach
  void setUp() {
    logback = new LoggerContext();
    logback.setName("mintaro-appender-test");
    logback.start();
    MintaroAppender appender = new MintaroAppender();
    appender.setContext(logback);
    appender.start();
    logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    log = logback.getLogger("io.mintaro.demo.Payments");
  }

  @AfterEach
  void tearDown() {
    logback.stop();
  }

  @Test
  void anErrorLineDoesNotTriggerWhenTheSdkSaysNot() {
    String traceId;
    try (Span root = Mintaro.startSpan("charge")) {
      traceId = root.traceId();
      log.error("card declined");
    }

    assertThat(mintaro.trace(traceId).logs()).extracting(RecordedLog::message).containsExactly("card declined");
    assertThat(mintaro.triggers()).isEmpty();
  }
}
