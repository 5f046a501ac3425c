package dev.reprise.storage.sql;

import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.queryOne;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.storage.Jdbc;
import dev.reprise.storage.StorageException;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamConflictException;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stream logs as rows of one SQLite table; the primary key (stream, index) makes appends exact. */
public final class SqlStreamLog implements StreamLog {
  private static final String APPEND =
      """
      INSERT INTO stream_chunks (stream_id, idx, data)
      SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM streams WHERE id = ? AND closed_at IS NULL)
        AND (SELECT COALESCE(MAX(idx), -1) FROM stream_chunks WHERE stream_id = ?) = ?
      """;

  private final Database db;

  public SqlStreamLog(Database db) {
    this.db = db;
  }

  @Override
  public void create(String streamId, Instant now) {
    db.write(
        c ->
            update(
                c,
                "INSERT INTO streams (id, created_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                streamId,
                now.toEpochMilli()));
  }

  @Override
  public void append(String streamId, long index, String data) {
    int inserted;
    try {
      inserted =
          db.write(c -> update(c, APPEND, streamId, index, data, streamId, streamId, index - 1));
    } catch (StorageException e) {
      if (!e.isUniqueViolation()) {
        throw e;
      }
      inserted = 0;
    }
    if (inserted != 1) {
      throw new StreamConflictException(
          "stream " + streamId + " refused index " + index + " (closed, unknown or not the next)");
    }
  }

  @Override
  public void close(String streamId, Instant now) {
    db.write(
        c ->
            update(
                c,
                "UPDATE streams SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                now.toEpochMilli(),
                streamId));
  }

  @Override
  public List<LogEntry> read(String streamId, long fromIndex, int limit) {
    return db.read(
        c ->
            query(
                c,
                "SELECT idx, data FROM stream_chunks WHERE stream_id = ? AND idx >= ? ORDER BY idx LIMIT ?",
                row -> new LogEntry(row.getLong("idx"), row.getString("data")),
                streamId,
                Math.max(0, fromIndex),
                limit));
  }

  @Override
  public Optional<StreamInfo> info(String streamId) {
    return db.read(
        c ->
            queryOne(
                c,
                """
                SELECT s.closed_at AS closed_at,
                       (SELECT COALESCE(MAX(idx), -1) FROM stream_chunks WHERE stream_id = s.id) AS tail
                FROM streams s WHERE s.id = ?
                """,
                row ->
                    new StreamInfo(
                        row.getLong("tail"), Jdbc.nullableLong(row, "closed_at") != null),
                streamId));
  }

  @Override
  public int deleteClosedBefore(Instant cutoff) {
    return db.write(
        c -> {
          long millis = cutoff.toEpochMilli();
          update(
              c,
              "DELETE FROM stream_chunks WHERE stream_id IN (SELECT id FROM streams WHERE closed_at < ?)",
              millis);
          return update(c, "DELETE FROM streams WHERE closed_at < ?", millis);
        });
  }

  @Override
  public void delete(String streamId) {
    db.write(
        c -> {
          update(c, "DELETE FROM stream_chunks WHERE stream_id = ?", streamId);
          return update(c, "DELETE FROM streams WHERE id = ?", streamId);
        });
  }
}
