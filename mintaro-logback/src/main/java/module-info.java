/** Mintaro's Logback appender: records every log line inside a trace into that trace. */
module io.mintaro.logback {
  requires io.mintaro;
  // Transitive: the appender's API is Logback's (its base class and event type). Not static: the
  // appender is nothing without Logback.
  requires transitive ch.qos.logback.classic;
  requires transitive ch.qos.logback.core;

  exports io.mintaro.logback;
}
