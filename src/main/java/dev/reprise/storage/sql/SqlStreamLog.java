package dev.reprise.storage.sql;

import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.queryOne;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.storage.AppendOutcome;
import dev.reprise.storage.GroupAppends;
import dev.reprise.storage.Jdbc;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.StreamAppend;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Stream logs as rows of one table; the primary key (stream, index) makes appends exact. Concurrent
 * appends, of any streams, are committed together (group commit): one transaction and one prepared
 * statement per batch instead of per chunk.
 */
public final class SqlStreamLog implements StreamLog {
  // why: the WHERE clause also keeps SQLite from reading ON CONFLICT as part of the SELECT.
  private static final String APPEND =
      """
      INSERT INTO stream_chunks (stream_id, idx, data, finish)
      SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM streams WHERE id = ? AND closed_at IS NULL)
        AND (SELECT COALESCE(MAX(idx), -1) FROM stream_chunks WHERE stream_id = ?) = ?
      ON CONFLICT (stream_id, idx) DO NOTHING
      """;
  private static final int MAX_BATCH = 256;
  // why: one transaction at a time; SQLite has a single writer, and batches grow while one commits.
  private static final int IN_FLIGHT = 1;
  private static final AppendOutcome REFUSED =
      AppendOutcome.refused("closed, unknown or not the next");

  /** Thrown inside a batch's transaction to roll it back: an append was only partly taken. */
  private static final class PartlyTaken extends RuntimeException {
    PartlyTaken() {
      super("an append of several chunks was only partly taken", null, false, false);
    }
  }

  private final Database db;
  private final GroupAppends appends;

  public SqlStreamLog(Database db) {
    this(db, size -> {});
  }

  /**
   * @param batchSizes told the size of every group commit
   */
  public SqlStreamLog(Database db, IntConsumer batchSizes) {
    this.db = db;
    this.appends = new GroupAppends(this::appendBatch, MAX_BATCH, IN_FLIGHT, batchSizes);
  }

  @Override
  public void create(String streamId, Instant now) {
    db.write(c -> insertStream(c, streamId, now));
  }

  /** Inserts an open stream unless it exists (shared with the embedded log). */
  public static int insertStream(Connection c, String streamId, Instant now) {
    return update(
        c,
        "INSERT INTO streams (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
        streamId,
        now.toEpochMilli());
  }

  @Override
  public void append(String streamId, LogEntry entry) {
    appends.append(streamId, entry);
  }

  /** The entries are inserted in one transaction: all of them or none. */
  @Override
  public void appendAll(String streamId, List<LogEntry> entries) {
    appends.appendAll(streamId, entries);
  }

  /**
   * Appends a batch in one transaction. If that fails, each append runs again on its own, so that
   * one bad chunk fails only its own writer.
   */
  private List<AppendOutcome> appendBatch(List<StreamAppend> batch) {
    try {
      return db.write(c -> outcomes(batch, Jdbc.updateEach(c, APPEND, params(batch))));
    } catch (StorageException | PartlyTaken e) {
      if (batch.size() == 1) {
        return List.of(
            e instanceof StorageException failure
                ? AppendOutcome.failed(failure)
                : AppendOutcome.refused("taken only in part (a concurrent close), rolled back"));
      }
    }
    List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
    for (StreamAppend each : batch) {
      outcomes.add(appendBatch(List.of(each)).getFirst());
    }
    return outcomes;
  }

  private static void addRows(StreamAppend append, List<Object[]> rows) {
    for (LogEntry entry : append.entries()) {
      long index = entry.index();
      String id = append.streamId();
      rows.add(new Object[] {id, index, entry.data(), entry.finish() ? 1 : 0, id, id, index - 1});
    }
  }

  private static List<Object[]> params(List<StreamAppend> batch) {
    List<Object[]> rows = new ArrayList<>(batch.size());
    for (StreamAppend each : batch) {
      addRows(each, rows);
    }
    return rows;
  }

  /**
   * One outcome per append from its rows' insert counts.
   *
   * @throws PartlyTaken when an append's first rows went in and a later one did not (a close
   *     committed between them), so that the transaction rolls back
   */
  private static List<AppendOutcome> outcomes(List<StreamAppend> batch, int[] insertCounts) {
    List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
    int row = 0;
    for (StreamAppend each : batch) {
      int inserted = 0;
      for (int i = 0; i < each.entries().size(); i++) {
        inserted += insertCounts[row++] == 1 ? 1 : 0;
      }
      if (inserted != 0 && inserted != each.entries().size()) {
        throw new PartlyTaken();
      }
      outcomes.add(inserted == 0 ? REFUSED : AppendOutcome.APPENDED);
    }
    return outcomes;
  }

  @Override
  public void close(String streamId, Instant now) {
    db.write(c -> closeStream(c, streamId, now.toEpochMilli()));
  }

  /** Marks the stream closed unless it already is (shared with the embedded log). */
  public static int closeStream(Connection c, String streamId, long closedAt) {
    return update(
        c,
        "UPDATE streams SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
        closedAt,
        streamId);
  }

  @Override
  public List<LogEntry> read(String streamId, long fromIndex, int limit) {
    return db.read(c -> readChunks(c, streamId, Math.max(0, fromIndex), limit));
  }

  /** Up to {@code limit} rows of {@code stream_chunks} from {@code fromIndex} on, in order. */
  public static List<LogEntry> readChunks(
      Connection c, String streamId, long fromIndex, int limit) {
    return query(
        c,
        """
        SELECT idx, data, finish FROM stream_chunks
        WHERE stream_id = ? AND idx >= ? ORDER BY idx LIMIT ?
        """,
        row -> new LogEntry(row.getLong("idx"), row.getString("data"), row.getInt("finish") == 1),
        streamId,
        fromIndex,
        limit);
  }

  @Override
  public Optional<StreamInfo> info(String streamId) {
    return db.read(c -> streamInfo(c, streamId));
  }

  /** The stream's state as {@code streams} and {@code stream_chunks} hold it. */
  public static Optional<StreamInfo> streamInfo(Connection c, String streamId) {
    return queryOne(
        c,
        """
        SELECT s.closed_at AS closed_at,
               (SELECT COALESCE(MAX(idx), -1) FROM stream_chunks WHERE stream_id = s.id) AS tail
        FROM streams s WHERE s.id = ?
        """,
        row -> new StreamInfo(row.getLong("tail"), Jdbc.nullableLong(row, "closed_at") != null),
        streamId);
  }

  @Override
  public int deleteClosedBefore(Instant cutoff) {
    return db.write(c -> deleteClosedBefore(c, cutoff.toEpochMilli()));
  }

  /** Deletes the streams closed before {@code cutoffMillis} and their chunks; returns how many. */
  public static int deleteClosedBefore(Connection c, long cutoffMillis) {
    update(
        c,
        "DELETE FROM stream_chunks WHERE stream_id IN (SELECT id FROM streams WHERE closed_at < ?)",
        cutoffMillis);
    return update(c, "DELETE FROM streams WHERE closed_at < ?", cutoffMillis);
  }

  @Override
  public void delete(String streamId) {
    db.write(c -> deleteStream(c, streamId));
  }

  /** Deletes the stream and its chunks (shared with the embedded log). */
  public static int deleteStream(Connection c, String streamId) {
    update(c, "DELETE FROM stream_chunks WHERE stream_id = ?", streamId);
    return update(c, "DELETE FROM streams WHERE id = ?", streamId);
  }
}
