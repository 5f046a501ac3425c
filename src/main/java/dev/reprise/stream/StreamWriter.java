package dev.reprise.stream;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The single writer of one stream: each chunk goes to the durable log first and only then to the
 * live mirror that readers follow, so no reader ever sees a chunk that a crash could lose.
 */
public final class StreamWriter {
  private final StreamLog log;
  private final LiveStream live;
  private final Clock clock;
  private long next;

  public StreamWriter(StreamLog log, LiveStream live, Clock clock, long next) {
    this.log = log;
    this.live = live;
    this.clock = clock;
    this.next = next;
  }

  /**
   * Appends one chunk and returns its index; {@code finish} says that it is the chunk that ends the
   * stream (a run's {@code finish}), which readers are told with it.
   */
  public long append(String data, boolean finish) {
    LogEntry entry = new LogEntry(next, data, finish);
    log.append(live.id(), entry);
    live.offer(Frame.of(entry));
    next = entry.index() + 1;
    return entry.index();
  }

  /** A chunk to append: its JSON text and whether it is the stream's {@code finish}. */
  public record Chunk(String data, boolean finish) {}

  /**
   * Appends the chunks in order, in as few commits as the log can, then shows them to readers
   * together.
   *
   * @throws PartialAppendException if the log took only the first {@link
   *     PartialAppendException#appended} of them (those are shown to readers); its cause is what
   *     {@link #append} would have thrown
   */
  public void appendAll(List<Chunk> chunks) {
    List<LogEntry> entries = new ArrayList<>(chunks.size());
    for (Chunk chunk : chunks) {
      entries.add(new LogEntry(next + entries.size(), chunk.data(), chunk.finish()));
    }
    try {
      log.appendAll(live.id(), entries);
    } catch (PartialAppendException e) {
      show(entries.subList(0, e.appended()));
      throw e;
    }
    show(entries);
  }

  private void show(List<LogEntry> appended) {
    List<Frame> frames = new ArrayList<>(appended.size());
    for (LogEntry entry : appended) {
      frames.add(Frame.of(entry));
    }
    live.offerAll(frames);
    next += appended.size();
  }

  /** Index of the last chunk written, -1 when none. */
  public long tailIndex() {
    return next - 1;
  }

  public void close() {
    try {
      closeLog();
    } finally {
      closeMirror();
    }
  }

  /** Marks the log closed (may be retried). */
  public void closeLog() {
    log.close(live.id(), clock.instant());
  }

  /** Closes the mirror: its readers end once they have what it holds. */
  public void closeMirror() {
    live.close(clock.instant());
  }
}
