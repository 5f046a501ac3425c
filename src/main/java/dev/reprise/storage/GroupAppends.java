package dev.reprise.storage;

import dev.reprise.stream.LogEntry;
import dev.reprise.stream.PartialAppendException;
import dev.reprise.stream.StreamLog;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A stream log's appends through group commit ({@link GroupCommit}): {@link StreamLog#append} and
 * {@link StreamLog#appendAll} for a backend whose batch writer takes each {@link StreamAppend} all
 * or none.
 */
public final class GroupAppends {
  private final GroupCommit<StreamAppend, AppendOutcome> commits;

  /** See {@link GroupCommit#GroupCommit(GroupCommit.Batch, int, int, IntConsumer)}. */
  public GroupAppends(
      GroupCommit.Batch<StreamAppend, AppendOutcome> batch,
      int maxBatch,
      int maxInFlight,
      IntConsumer batchSizes) {
    this.commits = new GroupCommit<>(batch, maxBatch, maxInFlight, batchSizes);
  }

  /** As {@link StreamLog#append}. */
  public void append(String streamId, LogEntry entry) {
    commits.submit(new StreamAppend(streamId, List.of(entry))).orThrow(streamId, entry.index());
  }

  /** As {@link StreamLog#appendAll}: the batch writer takes the entries all or none. */
  public void appendAll(String streamId, List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    AppendOutcome outcome =
        commits.submit(
            new StreamAppend(streamId, LogEntry.requireConsecutive(List.copyOf(entries))));
    try {
      outcome.orThrow(streamId, entries.getFirst().index());
    } catch (RuntimeException e) {
      throw new PartialAppendException(0, e);
    }
  }
}
