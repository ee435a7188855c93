package io.mintaro.internal;

/** Log levels as stored in the ring. */
public final class LogLevels {
  public static final byte TRACE = 1;
  public static final byte DEBUG = 2;
  public static final byte INFO = 3;
  public static final byte WARN = 4;
  public static final byte ERROR = 5;

  private LogLevels() {}

  public static byte of(System.Logger.Level level) {
    switch (level) {
      case ALL:
      case TRACE: return TRACE;
      case DEBUG: return DEBUG;
      case INFO: return INFO;
      case WARNING: return WARN;
      case ERROR: return ERROR;
      default: return INFO;
    }
  }

  public static String name(byte level) {
    switch (level) {
      case TRACE: return "TRACE";
      case DEBUG: return "DEBUG";
      case WARN: return "WARN";
      case ERROR: return "ERROR";
      default: return "INFO";
    }
  }
}
