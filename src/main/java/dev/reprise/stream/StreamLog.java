package dev.reprise.stream;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable, append-only, closable logs of chunks, one per stream, indexed from 0. A run's stream id
 * is its run id. Implementations must make an appended chunk durable before {@link #append}
 * returns: readers are only ever shown what is already in the log.
 */
public interface StreamLog {

  /** Creates an empty, open stream. Creating one that exists is a no-op. */
  void create(String streamId, Instant now);

  /**
   * Appends one chunk at {@code entry.index()}, which must be the stream's tail index + 1. The
   * chunk is kept as it is given, its {@code finish} flag included, and {@link #read} returns it
   * so.
   *
   * @throws StreamConflictException if the index is not the next one, the stream is closed or
   *     unknown: a second writer, or a writer that lost its run to another node, is fenced off this
   *     way.
   */
  void append(String streamId, LogEntry entry);

  /**
   * Appends consecutive entries (from the stream's tail index + 1 on), in order, each as {@link
   * #append} would, in as few commits as the log can; all of them are durable when it returns.
   * Nothing to do for an empty list.
   *
   * @throws PartialAppendException if an entry could not be appended: the entries before it are in
   *     the log and none after it is; its cause is what {@link #append} would have thrown
   * @throws IllegalArgumentException if the indexes are not consecutive
   */
  default void appendAll(String streamId, List<LogEntry> entries) {
    LogEntry.requireConsecutive(entries);
    for (int i = 0; i < entries.size(); i++) {
      try {
        append(streamId, entries.get(i));
      } catch (RuntimeException e) {
        throw new PartialAppendException(i, e);
      }
    }
  }

  /** Marks the stream closed: no more appends, readers end after the last chunk. Idempotent. */
  void close(String streamId, Instant now);

  /** Up to {@code limit} chunks from {@code fromIndex} on, in index order. */
  List<LogEntry> read(String streamId, long fromIndex, int limit);

  /**
   * The stream's tail and state, or empty when it does not exist (never created, deleted or
   * expired).
   */
  Optional<StreamInfo> info(String streamId);

  /** Deletes streams closed before {@code cutoff}; returns how many. */
  int deleteClosedBefore(Instant cutoff);

  void delete(String streamId);
}
