package dev.reprise.storage.sqlite;

import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.storage.AppendOutcome;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.StreamAppend;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sqlite.JournalStream.Journaled;
import dev.reprise.stream.LogEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded log's journal and the streams it holds in memory. Appends are checked against the
 * in-memory tail (this process is the database's only writer: the data directory is locked) and
 * inserted into {@code chunk_journal}, whose rows go at its end whatever their stream. {@link
 * JournalMover} later moves them to {@code stream_chunks}. Every change of a stream's state happens
 * under one lock, taken before the database's write lock, and only after its transaction committed.
 */
final class Journal {
  private static final String INSERT =
      "INSERT INTO chunk_journal (seq, stream_id, idx, data, finish) VALUES (?, ?, ?, ?, ?)";
  private static final AppendOutcome REFUSED =
      AppendOutcome.refused("closed, unknown or not the next");

  private final SqliteDatabase db;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, JournalStream> streams = new ConcurrentHashMap<>();
  private long nextSeq = 1;
  private PreparedStatement insert;
  private long pass;

  Journal(SqliteDatabase db) {
    this.db = db;
  }

  /**
   * Moves what a previous process left in the journal to {@code stream_chunks} (chunks of streams
   * deleted meanwhile excepted), and empties it.
   */
  void recover() {
    db.writeFirst(
        c -> {
          update(
              c,
              """
              INSERT INTO stream_chunks (stream_id, idx, data, finish)
              SELECT stream_id, idx, data, finish FROM chunk_journal
              WHERE stream_id IN (SELECT id FROM streams) ORDER BY stream_id, idx
              ON CONFLICT (stream_id, idx) DO NOTHING
              """);
          return update(c, "DELETE FROM chunk_journal");
        });
  }

  /** The stream's in-memory state, if the journal holds it (reads need no lock). */
  Optional<JournalStream> find(String streamId) {
    return Optional.ofNullable(streams.get(streamId));
  }

  /**
   * Appends a batch in one transaction: each append must be its stream's next index, counting the
   * appends before it in the batch. Refused ones write nothing.
   */
  List<AppendOutcome> append(List<StreamAppend> batch) {
    lock.lock();
    try {
      List<Accepted> accepted = new ArrayList<>(batch.size());
      List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
      db.writeFirst(
          c -> {
            Map<JournalStream, Long> tails = new HashMap<>();
            for (StreamAppend append : batch) {
              outcomes.add(check(c, append, tails, accepted));
            }
            insertAll(c, accepted);
            return null;
          });
      for (Accepted each : accepted) {
        each.stream().journaled(new Journaled(each.seq(), each.entry()), pass);
      }
      return outcomes;
    } catch (StorageException e) {
      // why: the seqs taken by a failed batch stay unused; the journal only needs them ascending.
      return retryEach(batch, e);
    } finally {
      lock.unlock();
    }
  }

  private record Accepted(JournalStream stream, LogEntry entry, long seq) {}

  /**
   * Inserts the rows with the journal's insert, prepared once per connection and kept: preparing it
   * for every commit was about 4 % of a chat ladder's CPU. A statement that failed is closed and
   * prepared again next time, since the driver may have finalized it (a full disk).
   */
  private void insertAll(Connection c, List<Accepted> accepted) {
    try {
      if (insert == null || insert.getConnection() != c) {
        insert = c.prepareStatement(INSERT);
      }
      for (Accepted each : accepted) {
        LogEntry entry = each.entry();
        insert.setLong(1, each.seq());
        insert.setString(2, each.stream().id());
        insert.setLong(3, entry.index());
        insert.setString(4, entry.data());
        insert.setInt(5, entry.finish() ? 1 : 0);
        insert.executeUpdate();
      }
    } catch (SQLException e) {
      dropInsert();
      throw new StorageException(INSERT, e);
    }
  }

  private void dropInsert() {
    try {
      if (insert != null) {
        insert.close();
      }
    } catch (SQLException ignored) {
      // why: a statement that cannot be closed is dropped all the same.
    } finally {
      insert = null;
    }
  }

  private AppendOutcome check(
      Connection c, StreamAppend append, Map<JournalStream, Long> tails, List<Accepted> accepted) {
    JournalStream stream = load(c, append.streamId());
    if (stream == null || stream.closed()) {
      return REFUSED;
    }
    long tail = tails.getOrDefault(stream, stream.tail());
    if (append.entries().getFirst().index() != tail + 1) {
      return REFUSED;
    }
    tails.put(stream, tail + append.entries().size());
    for (LogEntry entry : append.entries()) {
      accepted.add(new Accepted(stream, entry, nextSeq++));
    }
    return AppendOutcome.APPENDED;
  }

  private List<AppendOutcome> retryEach(List<StreamAppend> batch, StorageException failure) {
    if (batch.size() == 1) {
      return List.of(AppendOutcome.failed(failure));
    }
    List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
    for (StreamAppend each : batch) {
      outcomes.add(append(List.of(each)).getFirst());
    }
    return outcomes;
  }

  /** The stream's state, read from the database the first time (null if it does not exist). */
  private JournalStream load(Connection c, String streamId) {
    JournalStream known = streams.get(streamId);
    if (known != null) {
      return known;
    }
    JournalStream loaded =
        SqlStreamLog.streamInfo(c, streamId)
            .map(info -> new JournalStream(streamId, info.tailIndex(), info.closed(), pass))
            .orElse(null);
    if (loaded != null) {
      streams.put(streamId, loaded);
    }
    return loaded;
  }

  /** Marks the stream closed in the database, then in memory. */
  void close(String streamId, long closedAt) {
    lock.lock();
    try {
      db.writeFirst(c -> SqlStreamLog.closeStream(c, streamId, closedAt));
      find(streamId).ifPresent(JournalStream::close);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Deletes the stream and its chunks. Its rows still in the journal stay until the journal's
   * prefix is deleted; {@link #recover} skips them, as their stream is gone.
   */
  void delete(String streamId) {
    lock.lock();
    try {
      db.writeFirst(c -> SqlStreamLog.deleteStream(c, streamId));
      streams.remove(streamId);
    } finally {
      lock.unlock();
    }
  }

  /** Deletes the streams closed before {@code cutoffMillis}; returns how many. */
  int deleteClosedBefore(long cutoffMillis) {
    lock.lock();
    try {
      List<String> deleted =
          db.writeFirst(
              c -> {
                List<String> ids =
                    query(
                        c,
                        "SELECT id FROM streams WHERE closed_at < ?",
                        row -> row.getString("id"),
                        cutoffMillis);
                SqlStreamLog.deleteClosedBefore(c, cutoffMillis);
                return ids;
              });
      deleted.forEach(streams::remove);
      return deleted.size();
    } finally {
      lock.unlock();
    }
  }

  // ---- for JournalMover: everything below runs under lock()

  void lock() {
    lock.lock();
  }

  void unlock() {
    lock.unlock();
  }

  SqliteDatabase db() {
    return db;
  }

  Iterable<JournalStream> streams() {
    return streams.values();
  }

  boolean holds(JournalStream stream) {
    return streams.get(stream.id()) == stream;
  }

  void forget(JournalStream stream) {
    streams.remove(stream.id(), stream);
  }

  long nextSeq() {
    return nextSeq;
  }

  long pass() {
    return pass;
  }

  long nextPass() {
    return ++pass;
  }
}
