package io.mintaro.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.mintaro.Mintaro;
import io.mintaro.Span;
import io.mintaro.test.MintaroExtension;
import io.mintaro.test.RecordedLog;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Run by its own Surefire execution with everything on the module path: the appender is found
 * in a named module from {@code log4j2.xml}, and an asynchronous appender's line still finds its
 * trace, which takes the context data provider that module-info {@code provides}.
 */
@SuppressWarnings("try") // spans opened only for the context they make current
class ModulePathTest {
  @RegisterExtension
  static final MintaroExtension mintaro = new MintaroExtension();

  @Test
  void asNamedModulesTheAppenderIsConfiguredAndAsynchronousLinesKeepTheirTrace() {
    assertThat(MintaroAppender.class.getModule().getName()).isEqualTo("io.mintaro.log4j2");
    assertThat(LoggerContext.class.getModule().getName()).isEqualTo("org.apache.logging.log4j.core");
    LoggerContext log4j = Log4j.start("log4j2-async-appender.xml");
    try {
      String traceId;
      String spanId;
      try (Span span = Mintaro.startSpan("checkout")) {
        traceId = span.traceId();
        spanId = span.spanId();
        log4j.getLogger("io.mintaro.demo.Orders").info("queued for the appender's thread");
      }

      RecordedLog line = mintaro.awaitTrace(traceId, t -> t.logs().size() == 1).logs().get(0);
      assertThat(line.spanId()).isEqualTo(spanId);
      assertThat(line.message()).isEqualTo("queued for the appender's thread");
    } finally {
      Log4j.stop(log4j);
    }
  }
}
