package dev.reprise.run;

import java.time.Duration;

/**
 * How a run's text and reasoning deltas are merged before they reach the log.
 *
 * @param enabled whether they are merged at all
 * @param hold how long a delta may wait for more of its part before it is written; zero merges only
 *     the deltas that queued while the previous write was in flight, which adds no latency
 */
public record Coalescing(boolean enabled, Duration hold) {
  public static final Coalescing OFF = new Coalescing(false, Duration.ZERO);
  public static final Coalescing ADAPTIVE = new Coalescing(true, Duration.ZERO);
}
