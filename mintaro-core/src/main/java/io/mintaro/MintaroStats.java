package io.mintaro;

/** A snapshot of what one {@link MintaroSdk} has done since it started. */
public final class MintaroStats {
  private final long bytesRecorded;
  private final long triggersReported;
  private final long triggersRateLimited;
  private final long triggersDropped;
  private final long batchesSent;
  private final long batchesFailed;
  private final long bytesSent;
  private final boolean connected;

  public MintaroStats(long bytesRecorded, long triggersReported, long triggersRateLimited,
      long triggersDropped, long batchesSent, long batchesFailed, long bytesSent, boolean connected) {
    this.bytesRecorded = bytesRecorded;
    this.triggersReported = triggersReported;
    this.triggersRateLimited = triggersRateLimited;
    this.triggersDropped = triggersDropped;
    this.batchesSent = batchesSent;
    this.batchesFailed = batchesFailed;
    this.bytesSent = bytesSent;
    this.connected = connected;
  }

  /**
   * Bytes of the flight recorder claimed so far: the records, and the unused ends of the blocks
   * that writing threads claim their small records from. It keeps the newest up to its budget.
   */
  public long bytesRecorded() {
    return bytesRecorded;
  }

  /** Traces this process asked the collector to collect. */
  public long triggersReported() {
    return triggersReported;
  }

  /** Triggers refused by the per-process rate limit. */
  public long triggersRateLimited() {
    return triggersRateLimited;
  }

  /** Triggers lost because the queue to the collector was full. */
  public long triggersDropped() {
    return triggersDropped;
  }

  public long batchesSent() {
    return batchesSent;
  }

  public long batchesFailed() {
    return batchesFailed;
  }

  /** Request bytes sent to the collector (bodies as sent, after compression), polls included. */
  public long bytesSent() {
    return bytesSent;
  }

  /** Whether the agent is registered with the collector right now. */
  public boolean connected() {
    return connected;
  }

  @Override
  public String toString() {
    return "MintaroStats{bytesRecorded=" + bytesRecorded + ", triggersReported=" + triggersReported
        + ", triggersRateLimited=" + triggersRateLimited + ", triggersDropped=" + triggersDropped
        + ", batchesSent=" + batchesSent + ", batchesFailed=" + batchesFailed + ", bytesSent="
        + bytesSent + ", connected=" + connected + '}';
  }
}
