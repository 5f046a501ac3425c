package dev.reprise.durable;

import dev.reprise.stream.Frame;
import dev.reprise.stream.LiveStream;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of Durable Streams: a catch-up read from the log, and a wait for what comes next on the
 * node's live mirror, with no gap and no repeat between the two (both go by log index).
 */
public final class DsReader {
  private static final int MAX_ENTRIES = 1000;
  private static final int MAX_BYTES = 1024 * 1024;

  private final DurableStreams streams;
  private final boolean pollLog;

  /**
   * {@code pollLog}: the log is shared with other nodes and no remote feed mirrors it here, so a
   * wait looks at the log itself now and then.
   */
  public DsReader(DurableStreams streams, boolean pollLog) {
    this.streams = streams;
    this.pollLog = pollLog;
  }

  /**
   * Entries from {@code from} on, as many as one response carries.
   *
   * @throws DsException 410 when the log is gone (past its retention)
   */
  public DsBatch catchUp(DsView view, long from) {
    DsLogs logs = streams.logs();
    StreamInfo info = logs.info(view.logId()).orElseThrow(DsReader::pastRetention);
    long tail = info.tailIndex() + 1;
    if (from >= tail) {
      return new DsBatch(List.of(), tail, true, info.closed());
    }
    List<LogEntry> entries = bounded(logs.read(view.logId(), from, MAX_ENTRIES));
    long next = entries.isEmpty() ? from : entries.getLast().index() + 1;
    boolean upToDate = next >= tail;
    return new DsBatch(entries, next, upToDate, upToDate && info.closed());
  }

  /** The stream's tail as an index, and whether it is closed. */
  public StreamInfo tail(DsView view) {
    return streams.logs().info(view.logId()).orElseThrow(DsReader::pastRetention);
  }

  /**
   * Waits up to {@code timeout} for entries at {@code from} or after; returns them, or an empty
   * batch when the time is up (not up to date only if the stream moved meanwhile) or the stream
   * closed at {@code from}.
   */
  public DsBatch await(DsView view, long from, Duration timeout) throws InterruptedException {
    DsLogs logs = streams.logs();
    LiveStream mirror = mirror(view, from);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (from < mirror.base() || (pollLog && logHasMore(view, mirror))) {
        DsBatch batch = catchUp(view, from);
        if (!batch.entries().isEmpty() || batch.closed()) {
          return batch;
        }
      } else {
        List<Frame> frames = mirror.framesFrom(from);
        if (!frames.isEmpty()) {
          return fromMirror(mirror, frames);
        }
        if (from < mirror.base()) {
          continue; // why: the mirror slid past from since the look above; the log has those
        }
        if (mirror.closed()) {
          if (logs.info(view.logId()).isEmpty()) {
            throw DsException.notFound();
          }
          return new DsBatch(List.of(), from, true, true);
        }
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return new DsBatch(List.of(), from, true, false);
      }
      long slice = pollLog ? Math.min(remaining, Duration.ofSeconds(1).toNanos()) : remaining;
      mirror.awaitExactly(from, slice);
    }
  }

  private DsBatch fromMirror(LiveStream mirror, List<Frame> frames) {
    List<LogEntry> entries = new ArrayList<>(frames.size());
    for (Frame frame : frames) {
      entries.add(new LogEntry(frame.index(), frame.data(), frame.finish()));
    }
    entries = bounded(entries);
    long next = entries.getLast().index() + 1;
    boolean upToDate = next >= mirror.next();
    return new DsBatch(entries, next, upToDate, upToDate && mirror.closed());
  }

  /**
   * The mirror to wait on. Only the first reader of a stream on a node without a remote feed takes
   * the stream's lock, to open it at a tail that no append moves meanwhile.
   */
  private LiveStream mirror(DsView view, long from) {
    DsLogs logs = streams.logs();
    return logs.existingMirror(view.logId(), from)
        .orElseGet(
            () ->
                view.key() == null
                    ? logs.mirror(view.logId(), from)
                    : streams
                        .catalog()
                        .locked(List.of(view.key()), tx -> logs.mirror(view.logId(), from)));
  }

  private boolean logHasMore(DsView view, LiveStream mirror) {
    Optional<StreamInfo> info = streams.logs().info(view.logId());
    return info.isPresent() && info.get().tailIndex() + 1 > mirror.next();
  }

  private static List<LogEntry> bounded(List<LogEntry> entries) {
    long bytes = 0;
    for (int i = 0; i < entries.size(); i++) {
      bytes += entries.get(i).data().length();
      if (bytes > MAX_BYTES && i > 0) {
        return entries.subList(0, i);
      }
    }
    return entries;
  }

  private static DsException pastRetention() {
    return new DsException(410, "the stream's data is past its retention", java.util.Map.of());
  }
}
