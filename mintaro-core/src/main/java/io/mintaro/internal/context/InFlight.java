package io.mintaro.internal.context;

/**
 * What an open span does when the agent looks at it while it runs: a server request that is
 * already slower than its threshold triggers now, while its first records are still in the ring,
 * instead of when it ends (docs/decisions.md, 30).
 */
public interface InFlight {
  /** Never throws; called on the agent's thread. */
  void check(long nowUs);
}
