package dev.reprise.durable;

import dev.reprise.stream.Frame;
import dev.reprise.stream.LiveStream;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamConflictException;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The stream log and the node's live mirrors as Durable Streams use them: appends at the tail
 * (which the caller's lock makes this node's only writer of the stream), and mirrors that readers
 * wait on.
 */
final class DsLogs {
  private final StreamLog log;
  private final StreamHub hub;
  private final Clock clock;
  // why: the next index of each stream this node wrote, so an append does not ask the log first;
  // another node's append shows up as a conflict, after which the log is asked.
  private final ConcurrentMap<String, Long> tails = new ConcurrentHashMap<>();
  // why: when a reader last came for each mirror; a live reader comes back at least once per wait
  // (a long-poll's timeout, an SSE keep-alive), so a mirror no reader came for in minutes has none.
  private final ConcurrentMap<String, Long> readAt = new ConcurrentHashMap<>();

  DsLogs(StreamLog log, StreamHub hub, Clock clock) {
    this.log = log;
    this.hub = hub;
    this.clock = clock;
  }

  StreamLog log() {
    return log;
  }

  void create(String logId) {
    log.create(logId, clock.instant());
    tails.put(logId, 0L);
  }

  /** Appends one entry at the tail and shows it to this node's readers; returns the next index. */
  long append(String logId, String data) {
    long index = tails.computeIfAbsent(logId, this::nextFromLog);
    LogEntry entry = new LogEntry(index, data, false);
    try {
      log.append(logId, entry);
    } catch (StreamConflictException e) {
      // why: another node appended first (or closed or deleted the stream): ask the log once more.
      long fresh = nextFromLog(logId);
      if (fresh == index) {
        throw e;
      }
      entry = new LogEntry(fresh, data, false);
      log.append(logId, entry);
    }
    tails.put(logId, entry.index() + 1);
    Frame frame = Frame.of(entry);
    hub.find(logId).ifPresent(mirror -> mirror.offer(frame));
    return entry.index() + 1;
  }

  /** The index the next append gets; -1 when the log is gone (deleted, or past its retention). */
  long next(String logId) {
    Long cached = tails.get(logId);
    return cached != null ? cached : info(logId).map(i -> i.tailIndex() + 1).orElse(-1L);
  }

  Optional<StreamInfo> info(String logId) {
    return log.info(logId);
  }

  void close(String logId) {
    log.close(logId, clock.instant());
    hub.find(logId).ifPresent(mirror -> mirror.close(clock.instant()));
  }

  void delete(String logId) {
    tails.remove(logId);
    readAt.remove(logId);
    log.delete(logId);
    Optional<LiveStream> mirror = hub.find(logId);
    hub.remove(logId);
    // why: readers waiting on it wake up, look the stream up again and find it gone.
    mirror.ifPresent(m -> m.close(clock.instant()));
  }

  /**
   * Drops the mirrors that no reader came for in {@code idle}: an open stream's mirror would
   * otherwise keep every entry appended since its first reader. A reader that comes later gets a
   * new mirror, from the tail, and reads what came before from the log.
   */
  int evictIdleMirrors(Duration idle) {
    long cutoff = System.nanoTime() - idle.toNanos();
    int evicted = 0;
    for (var entry : readAt.entrySet()) {
      if (entry.getValue() - cutoff < 0 && readAt.remove(entry.getKey(), entry.getValue())) {
        hub.remove(entry.getKey());
        evicted++;
      }
    }
    return evicted;
  }

  List<LogEntry> read(String logId, long from, int limit) {
    return log.read(logId, from, limit);
  }

  /**
   * The mirror readers of the stream wait on. With a remote feed the hub fills it from the shared
   * log; without one every append passes through this node, and the mirror starts at the tail the
   * caller's lock holds still.
   */
  LiveStream mirror(String logId, long from) {
    return existingMirror(logId, from).orElseGet(() -> openMirror(logId));
  }

  /**
   * The mirror when it needs no lock to get: a remote feed's (attached on demand), or one this node
   * already has.
   */
  Optional<LiveStream> existingMirror(String logId, long from) {
    readAt.put(logId, System.nanoTime());
    Optional<LiveStream> attached = hub.attach(logId, from);
    return attached.isPresent() ? attached : hub.find(logId);
  }

  /** Call holding the stream's lock, so no append slips between the tail read and the open. */
  private LiveStream openMirror(String logId) {
    StreamInfo info = log.info(logId).orElse(new StreamInfo(-1, true));
    LiveStream mirror = hub.openAt(logId, info.tailIndex() + 1);
    if (info.closed()) {
      mirror.close(clock.instant());
    }
    return mirror;
  }

  private long nextFromLog(String logId) {
    return log.info(logId)
        .map(info -> info.tailIndex() + 1)
        .orElseThrow(() -> new StreamConflictException("the stream's log is gone"));
  }
}
