package io.mintaro.jul;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/** A filter as an application would configure one: health-check chatter is not kept. */
public class NotHealthChecks implements Filter {
  @Override
  public boolean isLoggable(LogRecord record) {
    return !String.valueOf(record.getMessage()).startsWith("health check");
  }
}
