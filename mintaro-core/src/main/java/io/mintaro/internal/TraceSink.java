package io.mintaro.internal;

import io.mintaro.MintaroStats;

/**
 * Where the traces an SDK triggers go: the agent, which links the process to a collector, the
 * printer, which writes them to standard output, or nowhere. The recorder and {@link Core} know
 * only this interface. Every method called on application threads never blocks and never throws.
 */
public interface TraceSink {
  /** Starts the sink's threads; called once, after construction. */
  void start();

  /** A trace to collect, admitted by the trigger limits. */
  void trigger(long hi, long lo, String kind, String reason, String endpoint, String problem);

  /** A trigger whose trace is not collected (over a limit), counted instead. */
  void count(long hi, long lo, String kind, String endpoint, String problem);

  /** A host:port by which this process was called. */
  void observeAuthority(String authority);

  /** The SDK's figures with the sink's own. */
  MintaroStats stats(long bytesRecorded, long rateLimited, long groupLimited, long historyMillis,
      long oldestRecordAgeMillis);

  /** Delivers what is pending, waiting at most {@code flushTimeoutMillis}, then stops. */
  void close(long flushTimeoutMillis);

  /** Stops at once. */
  void close();

  /** A sink that delivers nothing: the SDK records locally only. */
  TraceSink NONE = new TraceSink() {
    @Override
    public void start() {}

    @Override
    public void trigger(long hi, long lo, String kind, String reason, String endpoint, String problem) {}

    @Override
    public void count(long hi, long lo, String kind, String endpoint, String problem) {}

    @Override
    public void observeAuthority(String authority) {}

    @Override
    public MintaroStats stats(long bytesRecorded, long rateLimited, long groupLimited, long historyMillis,
        long oldestRecordAgeMillis) {
      return new MintaroStats(bytesRecorded, 0, rateLimited, groupLimited, 0, 0, 0, 0, 0, false,
          historyMillis, oldestRecordAgeMillis);
    }

    @Override
    public void close(long flushTimeoutMillis) {}

    @Override
    public void close() {}
  };

  /** Both sinks; the figures are the first's, which is the agent when there is one. */
  static TraceSink both(TraceSink first, TraceSink second) {
    return new TraceSink() {
      @Override
      public void start() {
        first.start();
        second.start();
      }

      @Override
      public void trigger(long hi, long lo, String kind, String reason, String endpoint, String problem) {
        first.trigger(hi, lo, kind, reason, endpoint, problem);
        second.trigger(hi, lo, kind, reason, endpoint, problem);
      }

      @Override
      public void count(long hi, long lo, String kind, String endpoint, String problem) {
        first.count(hi, lo, kind, endpoint, problem);
        second.count(hi, lo, kind, endpoint, problem);
      }

      @Override
      public void observeAuthority(String authority) {
        first.observeAuthority(authority);
        second.observeAuthority(authority);
      }

      @Override
      public MintaroStats stats(long bytesRecorded, long rateLimited, long groupLimited, long historyMillis,
          long oldestRecordAgeMillis) {
        return first.stats(bytesRecorded, rateLimited, groupLimited, historyMillis, oldestRecordAgeMillis);
      }

      @Override
      public void close(long flushTimeoutMillis) {
        long deadline = System.nanoTime() + flushTimeoutMillis * 1_000_000L;
        first.close(flushTimeoutMillis);
        second.close(Math.max(0, (deadline - System.nanoTime()) / 1_000_000L));
      }

      @Override
      public void close() {
        first.close();
        second.close();
      }
    };
  }
}
