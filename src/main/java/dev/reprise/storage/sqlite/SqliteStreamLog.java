package dev.reprise.storage.sqlite;

import dev.reprise.storage.GroupAppends;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Stream logs in the embedded database. A chunk is durable once its record is in the journal's file
 * ({@link Journal}, {@link JournalFile}); concurrent appends, of any streams, are written together
 * (group commit). The chunks a stream appended lately are kept in memory until {@link JournalMover}
 * has moved them to {@code stream_chunks}, where older ones are read from, by stream and index.
 */
public final class SqliteStreamLog implements StreamLog, AutoCloseable {
  private static final int MAX_BATCH = 512;
  // why: one transaction at a time; SQLite has a single writer, and batches grow while one commits.
  private static final int IN_FLIGHT = 1;

  private final SqliteDatabase db;
  private final Journal journal;
  private final JournalMover mover;
  private final GroupAppends appends;

  private SqliteStreamLog(
      SqliteDatabase db, IntConsumer batchSizes, JournalMover.Policy policy, boolean background) {
    this.db = db;
    this.journal = new Journal(db);
    journal.recover();
    this.mover =
        background ? JournalMover.start(journal, policy) : JournalMover.manual(journal, policy);
    this.appends = new GroupAppends(journal::append, MAX_BATCH, IN_FLIGHT, batchSizes);
  }

  /**
   * Opens the log (moving what a previous process left in the journal) and starts moving chunks in
   * the background.
   *
   * @param batchSizes told the size of every group commit
   */
  public static SqliteStreamLog open(SqliteDatabase db, IntConsumer batchSizes) {
    return new SqliteStreamLog(db, batchSizes, JournalMover.Policy.DEFAULT, true);
  }

  /** A log whose chunks move only when {@link #moveJournal} is called (for tests). */
  static SqliteStreamLog withManualMoves(SqliteDatabase db, JournalMover.Policy policy) {
    return new SqliteStreamLog(db, size -> {}, policy, false);
  }

  /** Runs one pass of the mover now; {@code all} moves every pending chunk. */
  void moveJournal(boolean all) {
    mover.pass(all);
  }

  @Override
  public void create(String streamId, Instant now) {
    long deletes = journal.deletes();
    if (db.write(c -> SqlStreamLog.insertStream(c, streamId, now)) == 1) {
      journal.created(streamId, deletes);
    }
  }

  @Override
  public void append(String streamId, LogEntry entry) {
    appends.append(streamId, entry);
  }

  /** The entries go into the journal together, in one transaction: all of them or none. */
  @Override
  public void appendAll(String streamId, List<LogEntry> entries) {
    appends.appendAll(streamId, entries);
  }

  @Override
  public void close(String streamId, Instant now) {
    journal.close(streamId, now.toEpochMilli());
  }

  /**
   * The pending chunks are copied before {@code stream_chunks} is queried: a chunk that left the
   * memory before the copy was in {@code stream_chunks} before the query, so none is missed; one
   * found in both is taken once.
   */
  @Override
  public List<LogEntry> read(String streamId, long fromIndex, int limit) {
    long from = Math.max(0, fromIndex);
    List<LogEntry> pending =
        journal.find(streamId).map(s -> s.pendingFrom(from, limit)).orElse(List.of());
    if (!pending.isEmpty() && pending.getFirst().index() <= from) {
      return pending;
    }
    List<LogEntry> moved = readMoved(streamId, from, limit);
    if (pending.isEmpty()) {
      return moved;
    }
    List<LogEntry> entries = new ArrayList<>(Math.min(limit, moved.size() + pending.size()));
    entries.addAll(moved);
    long next = moved.isEmpty() ? from : moved.getLast().index() + 1;
    for (LogEntry entry : pending) {
      if (entries.size() == limit) {
        break;
      }
      if (entry.index() == next) {
        entries.add(entry);
        next++;
      }
    }
    return entries;
  }

  private List<LogEntry> readMoved(String streamId, long from, int limit) {
    return db.read(c -> SqlStreamLog.readChunks(c, streamId, from, limit));
  }

  @Override
  public Optional<StreamInfo> info(String streamId) {
    Optional<JournalStream> known = journal.find(streamId);
    if (known.isPresent()) {
      return Optional.of(new StreamInfo(known.get().tail(), known.get().closed()));
    }
    return db.read(c -> SqlStreamLog.streamInfo(c, streamId));
  }

  @Override
  public int deleteClosedBefore(Instant cutoff) {
    return journal.deleteClosedBefore(cutoff.toEpochMilli());
  }

  @Override
  public void delete(String streamId) {
    journal.delete(streamId);
  }

  /** Moves every pending chunk, so that the next start has nothing to recover. */
  @Override
  public void close() {
    try {
      mover.close();
    } finally {
      journal.close();
    }
  }
}
