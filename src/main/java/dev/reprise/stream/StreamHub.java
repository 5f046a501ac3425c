package dev.reprise.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The streams that are live on this node, by id. Closed streams are dropped after a grace period.
 */
public final class StreamHub {
  private final ConcurrentMap<String, LiveStream> streams = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration closedGrace;

  public StreamHub(Clock clock, Duration closedGrace) {
    this.clock = clock;
    this.closedGrace = closedGrace;
  }

  /** Registers a stream that this node writes from index 0. */
  public LiveStream open(String streamId) {
    return openAt(streamId, 0);
  }

  /**
   * Registers a stream whose frames this node sees from {@code base} on (e.g. fed by a remote log).
   */
  public LiveStream openAt(String streamId, long base) {
    return streams.computeIfAbsent(streamId, id -> new LiveStream(id, base));
  }

  public Optional<LiveStream> find(String streamId) {
    return Optional.ofNullable(streams.get(streamId));
  }

  public void remove(String streamId) {
    streams.remove(streamId);
  }

  public int size() {
    return streams.size();
  }

  /**
   * Drops streams closed longer ago than the grace period; readers still holding one finish
   * normally.
   */
  public int evictClosed() {
    Instant cutoff = clock.instant().minus(closedGrace);
    int before = streams.size();
    streams
        .values()
        .removeIf(s -> s.closed() && s.closedAt() != null && s.closedAt().isBefore(cutoff));
    return before - streams.size();
  }
}
