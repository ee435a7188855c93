package io.mintaro;

/** A snapshot of what one {@link MintaroSdk} has done since it started. */
public final class MintaroStats {
  private final long bytesRecorded;
  private final long triggersReported;
  private final long triggersRateLimited;
  private final long triggersGroupLimited;
  private final long triggersCounted;
  private final long triggersDropped;
  private final long batchesSent;
  private final long batchesFailed;
  private final long bytesSent;
  private final boolean connected;
  private final long historyMillis;
  private final long oldestRecordAgeMillis;

  public MintaroStats(long bytesRecorded, long triggersReported, long triggersRateLimited,
      long triggersGroupLimited, long triggersCounted, long triggersDropped, long batchesSent, long batchesFailed, long bytesSent, boolean connected,
      long historyMillis, long oldestRecordAgeMillis) {
    this.bytesRecorded = bytesRecorded;
    this.triggersReported = triggersReported;
    this.triggersRateLimited = triggersRateLimited;
    this.triggersGroupLimited = triggersGroupLimited;
    this.triggersCounted = triggersCounted;
    this.triggersDropped = triggersDropped;
    this.batchesSent = batchesSent;
    this.batchesFailed = batchesFailed;
    this.bytesSent = bytesSent;
    this.connected = connected;
    this.historyMillis = historyMillis;
    this.oldestRecordAgeMillis = oldestRecordAgeMillis;
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

  /** Triggers whose trace was not collected because of the per-process rate limit; they are counted. */
  public long triggersRateLimited() {
    return triggersRateLimited;
  }

  /**
   * Triggers whose trace was not collected because their group had used its collections of the
   * minute ({@code MINTARO_TRIGGER_GROUP_LIMIT}); they are counted.
   */
  public long triggersGroupLimited() {
    return triggersGroupLimited;
  }

  /**
   * Triggers the collector acknowledged as counts: those not collected, by either limit or a full
   * queue. With {@link #triggersReported()}, every trigger this process fired.
   */
  public long triggersCounted() {
    return triggersCounted;
  }

  /** Triggers lost: neither collected nor counted, because the queues to the collector were full. */
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

  /**
   * Milliseconds of activity the flight recorder holds: from when its oldest readable bytes were
   * written to its latest write. With steady traffic this is how far back a trace triggered now
   * can reach; it shrinks when traffic grows, as the ring laps faster. 0 when nothing was
   * recorded yet; until the ring first fills, it runs from the first record.
   *
   * <p>Measured from when space was claimed, which the recorder notes at least every 1/64 of the
   * ring (1/256 from 4 MiB up) and interpolates between; a thread that writes slowly fills its
   * block of the ring a while after it claimed it.
   */
  public long historyMillis() {
    return historyMillis;
  }

  /**
   * How long ago the oldest record still readable was written, in milliseconds: like
   * {@link #historyMillis()}, but up to now, so it keeps growing while the process records
   * nothing. 0 when nothing was recorded yet.
   */
  public long oldestRecordAgeMillis() {
    return oldestRecordAgeMillis;
  }

  @Override
  public String toString() {
    return "MintaroStats{bytesRecorded=" + bytesRecorded + ", triggersReported=" + triggersReported
        + ", triggersRateLimited=" + triggersRateLimited + ", triggersGroupLimited=" + triggersGroupLimited
        + ", triggersCounted=" + triggersCounted + ", triggersDropped=" + triggersDropped
        + ", batchesSent=" + batchesSent + ", batchesFailed=" + batchesFailed + ", bytesSent="
        + bytesSent + ", connected=" + connected + ", historyMillis=" + historyMillis
        + ", oldestRecordAgeMillis=" + oldestRecordAgeMillis + '}';
  }
}
