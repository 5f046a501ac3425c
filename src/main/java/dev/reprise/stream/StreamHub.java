package dev.reprise.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streams mirrored in this node's memory, by id: those written here, and (with a remote feed)
 * those written on other nodes that readers here follow. Closed streams are dropped after a grace
 * period.
 */
public final class StreamHub {
  private final ConcurrentMap<String, LiveStream> streams = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration closedGrace;
  private final RemoteFeed feed;
  private final int mirrorCapacity;
  private final ReentrantLock openLock = new ReentrantLock();
  private final Condition opened = openLock.newCondition();
  private volatile boolean ticking;

  /** A hub for one node alone: every stream it serves is written here. */
  public StreamHub(Clock clock, Duration closedGrace) {
    this(clock, closedGrace, null);
  }

  /** A hub that mirrors streams written elsewhere through {@code feed} (null: none). */
  public StreamHub(Clock clock, Duration closedGrace, RemoteFeed feed) {
    this(clock, closedGrace, feed, LiveStream.DEFAULT_CAPACITY);
  }

  /** As above, with mirrors of at most {@code mirrorCapacity} frames (tests slide them sooner). */
  StreamHub(Clock clock, Duration closedGrace, RemoteFeed feed, int mirrorCapacity) {
    this.clock = clock;
    this.closedGrace = closedGrace;
    this.feed = feed;
    this.mirrorCapacity = mirrorCapacity;
  }

  /** Registers a stream that this node writes from index 0. */
  public LiveStream open(String streamId) {
    return openAt(streamId, 0);
  }

  /**
   * Registers a stream that this node writes from {@code base} on (0, or the tail + 1 when
   * resuming).
   */
  public LiveStream openAt(String streamId, long base) {
    LiveStream stream =
        streams.computeIfAbsent(streamId, id -> new LiveStream(id, base, ticking, mirrorCapacity));
    if (feed != null && stream.next() >= base) {
      // why: a reader attached before the run started here (a queued run's own POST) had the feed
      // read the stream back from Redis, every chunk a second time, for the whole answer. With no
      // gap left for the feed to fill, the local writer alone feeds the mirror.
      feed.unwatch(stream);
    }
    signalOpened();
    return stream;
  }

  /**
   * This node no longer writes the stream (another node took its run over): its mirror, if still
   * open, follows the remote feed from what it holds, so that its readers get the rest.
   */
  public void handOver(String streamId) {
    LiveStream stream = streams.get(streamId);
    if (feed != null && stream != null && !stream.closed()) {
      feed.watch(stream);
    }
  }

  /**
   * The node's mirror of a stream written elsewhere, fed by the remote feed from {@code from} on;
   * empty when this hub has no feed (a single node writes every stream it serves).
   */
  public Optional<LiveStream> attach(String streamId, long from) {
    if (feed == null) {
      return Optional.empty();
    }
    boolean[] created = {false};
    LiveStream stream =
        streams.computeIfAbsent(
            streamId,
            id -> {
              created[0] = true;
              return new LiveStream(id, Math.max(0, from), ticking, mirrorCapacity);
            });
    if (created[0]) {
      feed.watch(stream);
    }
    return Optional.of(stream);
  }

  /**
   * Has {@code scheduler} wake every waiting reader of every stream each {@code period}, so that
   * readers wait without timers; their heartbeats and time-outs are then up to one period late.
   * Call before any stream opens.
   */
  public void startTicking(
      java.util.concurrent.ScheduledExecutorService scheduler, Duration period) {
    ticking = true;
    long nanos = Math.max(1, period.toNanos());
    scheduler.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Wakes every waiting reader of every stream. */
  public void tick() {
    for (LiveStream stream : streams.values()) {
      stream.tick();
    }
  }

  public Optional<LiveStream> find(String streamId) {
    return Optional.ofNullable(streams.get(streamId));
  }

  public void remove(String streamId) {
    LiveStream removed = streams.remove(streamId);
    if (removed != null && feed != null) {
      feed.unwatch(removed);
    }
  }

  public int size() {
    return streams.size();
  }

  /** Waits until some stream opens on this node, at most {@code timeout}. */
  public void awaitOpen(Duration timeout) throws InterruptedException {
    openLock.lock();
    try {
      opened.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      openLock.unlock();
    }
  }

  private void signalOpened() {
    openLock.lock();
    try {
      opened.signalAll();
    } finally {
      openLock.unlock();
    }
  }

  /**
   * Drops streams closed longer ago than the grace period; readers still holding one finish
   * normally.
   */
  public int evictClosed() {
    Instant cutoff = clock.instant().minus(closedGrace);
    int evicted = 0;
    for (LiveStream stream : streams.values()) {
      if (stream.closed() && stream.closedAt() != null && stream.closedAt().isBefore(cutoff)) {
        remove(stream.id());
        evicted++;
      }
    }
    return evicted;
  }
}
