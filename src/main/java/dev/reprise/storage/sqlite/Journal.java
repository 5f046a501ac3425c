package dev.reprise.storage.sqlite;

import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.storage.AppendOutcome;
import dev.reprise.storage.Jdbc;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.StreamAppend;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sqlite.JournalStream.Journaled;
import dev.reprise.stream.LogEntry;
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
 * written to the {@link JournalFile}, whose records go at its end whatever their stream. {@link
 * JournalMover} later moves them to {@code stream_chunks}. Every change of a stream's state happens
 * under one lock, taken before the database's write lock, and only after its write is done.
 */
final class Journal implements AutoCloseable {
  private static final String RECOVER =
      "INSERT INTO stream_chunks (stream_id, idx, data, finish)"
          + " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM streams WHERE id = ?)"
          + " ON CONFLICT (stream_id, idx) DO NOTHING";
  private static final AppendOutcome REFUSED =
      AppendOutcome.refused("closed, unknown or not the next");

  /** A segment's size: at a chat ladder's rate a few seconds of appends, the time chunks wait. */
  private static final long SEGMENT_BYTES = 16L * 1024 * 1024;

  private final SqliteDatabase db;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, JournalStream> streams = new ConcurrentHashMap<>();
  private long nextSeq = 1;
  private volatile long deletes;
  private JournalFile file;
  private long pass;

  Journal(SqliteDatabase db) {
    this.db = db;
  }

  /**
   * Moves what a previous process left in the journal to {@code stream_chunks} (chunks of streams
   * deleted meanwhile excepted), empties it, and opens it for appends.
   */
  void recover() {
    db.writeFirst(
        c -> {
          // why: a data directory from a release that journaled in this table.
          update(
              c,
              """
              INSERT INTO stream_chunks (stream_id, idx, data, finish)
              SELECT stream_id, idx, data, finish FROM chunk_journal
              WHERE stream_id IN (SELECT id FROM streams) ORDER BY stream_id, idx
              ON CONFLICT (stream_id, idx) DO NOTHING
              """);
          update(c, "DELETE FROM chunk_journal");
          List<Object[]> rows = new ArrayList<>();
          for (JournalFile.Entry each : JournalFile.readAll(db.journalDir())) {
            LogEntry entry = each.entry();
            String id = each.streamId();
            rows.add(new Object[] {id, entry.index(), entry.data(), entry.finish() ? 1 : 0, id});
          }
          return Jdbc.updateEach(c, RECOVER, rows);
        });
    JournalFile.deleteAll(db.journalDir());
    file = JournalFile.open(db.journalDir(), db.syncsEachWrite(), SEGMENT_BYTES);
  }

  /**
   * A count of the deletes so far, to pass to {@link #created}: read before the stream's row is
   * inserted.
   */
  long deletes() {
    return deletes;
  }

  /**
   * Holds a stream that was just created, empty and open, so that its first append does not read
   * the database under the lock (a query per answer, with every other append waiting). Not when a
   * delete came since {@code deletesBefore}: it may have deleted this stream, which must stay gone.
   */
  void created(String streamId, long deletesBefore) {
    lock.lock();
    try {
      if (deletes == deletesBefore) {
        streams.putIfAbsent(streamId, new JournalStream(streamId, -1, false, pass));
      }
    } finally {
      lock.unlock();
    }
  }

  /** The stream's in-memory state, if the journal holds it (reads need no lock). */
  Optional<JournalStream> find(String streamId) {
    return Optional.ofNullable(streams.get(streamId));
  }

  /**
   * Appends a batch in one write: each append must be its stream's next index, counting the appends
   * before it in the batch. Refused ones write nothing.
   */
  List<AppendOutcome> append(List<StreamAppend> batch) {
    lock.lock();
    try {
      List<JournalFile.Entry> accepted = new ArrayList<>(batch.size());
      List<JournalStream> owners = new ArrayList<>(batch.size());
      List<AppendOutcome> outcomes = new ArrayList<>(batch.size());
      Map<JournalStream, Long> tails = new HashMap<>();
      for (StreamAppend append : batch) {
        outcomes.add(check(append, tails, accepted, owners));
      }
      write(accepted);
      for (int i = 0; i < accepted.size(); i++) {
        JournalFile.Entry each = accepted.get(i);
        owners.get(i).journaled(new Journaled(each.seq(), each.entry()), pass);
      }
      return outcomes;
    } catch (StorageException e) {
      // why: the seqs taken by a failed batch stay unused; the journal only needs them ascending.
      return retryEach(batch, e);
    } finally {
      lock.unlock();
    }
  }

  private void write(List<JournalFile.Entry> accepted) {
    try {
      file.append(accepted);
      db.journalFaults().succeeded();
    } catch (StorageException e) {
      db.journalFaults().failed(e);
      throw e;
    }
  }

  /**
   * Adds the append's entries to {@code accepted}, and their stream to {@code owners}, if it fits.
   */
  private AppendOutcome check(
      StreamAppend append,
      Map<JournalStream, Long> tails,
      List<JournalFile.Entry> accepted,
      List<JournalStream> owners) {
    JournalStream stream = load(append.streamId());
    if (stream == null || stream.closed()) {
      return REFUSED;
    }
    long tail = tails.getOrDefault(stream, stream.tail());
    if (append.entries().getFirst().index() != tail + 1) {
      return REFUSED;
    }
    tails.put(stream, tail + append.entries().size());
    for (LogEntry entry : append.entries()) {
      accepted.add(new JournalFile.Entry(nextSeq++, stream.id(), entry));
      owners.add(stream);
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
  private JournalStream load(String streamId) {
    JournalStream known = streams.get(streamId);
    if (known != null) {
      return known;
    }
    JournalStream loaded =
        db.read(c -> SqlStreamLog.streamInfo(c, streamId))
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
      deletes++;
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
      deletes++;
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

  JournalFile file() {
    return file;
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

  @Override
  public void close() {
    lock.lock();
    try {
      if (file != null) {
        file.close();
      }
    } finally {
      lock.unlock();
    }
  }
}
