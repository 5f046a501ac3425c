package dev.reprise.storage.sqlite;

import dev.reprise.storage.Jdbc;
import dev.reprise.storage.sqlite.JournalStream.Journaled;
import dev.reprise.stream.LogEntry;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves chunks from the journal to {@code stream_chunks}, a stream's chunks together so that their
 * index entries share pages, and deletes the journal's segments that every stream is past. A
 * stream's pending chunks move once it is closed, once it has {@link Policy#maxPending} of them, or
 * once the oldest has waited {@link Policy#maxWaitPasses} passes and the stream's share of {@link
 * Policy#spreadPasses}; a stream with nothing pending is forgotten once closed or idle for {@link
 * Policy#idlePasses}. Each transaction moves at most {@link Policy#rowsPerTransaction} rows, so
 * appends wait for one short transaction at most.
 */
final class JournalMover implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalMover.class);
  private static final String MOVE =
      "INSERT INTO stream_chunks (stream_id, idx, data, finish) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (stream_id, idx) DO NOTHING";

  /**
   * When chunks move, and how many in one transaction. A stream's chunks wait {@code maxWaitPasses}
   * plus 0 to {@code spreadPasses - 1} more passes, by the stream's id, so that streams that
   * started together do not all come due at the same pass.
   */
  record Policy(
      Duration every,
      int maxPending,
      int maxWaitPasses,
      int idlePasses,
      int rowsPerTransaction,
      int spreadPasses) {
    /**
     * Chunks stay pending two to four seconds: at a model's pace (tens of chunks a second), a
     * stream's move then fills an index page or more, instead of one page per chunk. Spread,
     * because a burst of runs that start together (a pass moving all of their chunks at once) held
     * up every append for tens of milliseconds every two seconds.
     */
    static final Policy DEFAULT = new Policy(Duration.ofMillis(250), 512, 8, 240, 512, 8);

    /** How many passes the oldest pending chunk of the stream waits before it moves. */
    int waitPasses(String streamId) {
      return maxWaitPasses
          + (spreadPasses > 1 ? Math.floorMod(streamId.hashCode(), spreadPasses) : 0);
    }
  }

  private final Journal journal;
  private final Policy policy;
  private final Thread thread;
  private final ReentrantLock passes = new ReentrantLock();
  private volatile boolean closed;
  private boolean failing;

  private JournalMover(Journal journal, Policy policy, boolean background) {
    this.journal = journal;
    this.policy = policy;
    this.thread =
        background ? Thread.ofPlatform().daemon().name("sqlite-journal").start(this::loop) : null;
  }

  /** A mover that runs a pass every {@link Policy#every}. */
  static JournalMover start(Journal journal, Policy policy) {
    return new JournalMover(journal, policy, true);
  }

  /** A mover that runs only when asked to (for tests). */
  static JournalMover manual(Journal journal, Policy policy) {
    return new JournalMover(journal, policy, false);
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(policy.every());
        pass(false);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // why: the chunks stay in the journal, durable and readable; the next pass tries again.
        // On a full disk that is four failures a second: say so once, not in every log line.
        if (!failing) {
          failing = true;
          LOG.warn(
              "moving journal chunks failed (retried every pass; reported again only after it works"
                  + " once more): {}",
              e.toString());
        }
        continue;
      }
      if (failing) {
        failing = false;
        LOG.info("moving journal chunks works again");
      }
    }
  }

  /** One pass: moves what is due (everything when {@code all}), then deletes the moved prefix. */
  void pass(boolean all) {
    // why: a move commits outside the journal's lock, so two passes at once could move the same
    // chunks and then drop twice as many from memory.
    passes.lock();
    try {
      List<JournalStream> due = due(all);
      while (!due.isEmpty()) {
        int from = 0;
        while (from < due.size()) {
          from = moveSome(due, from);
        }
        // why: a transaction takes at most rowsPerTransaction of a stream; "all" means all.
        due = all ? due(true) : List.of();
      }
      deletePrefix();
    } finally {
      passes.unlock();
    }
  }

  private List<JournalStream> due(boolean all) {
    journal.lock();
    try {
      long pass = journal.nextPass();
      List<JournalStream> due = new ArrayList<>();
      for (JournalStream stream : journal.streams()) {
        int pending = stream.pendingCount();
        if (pending == 0) {
          if (stream.closed() || pass - stream.lastAppendPass() >= policy.idlePasses()) {
            journal.forget(stream);
          }
        } else if (all
            || stream.closed()
            || pending >= policy.maxPending()
            || pass - stream.pendingSincePass() >= policy.waitPasses(stream.id())) {
          due.add(stream);
        }
      }
      return due;
    } finally {
      journal.unlock();
    }
  }

  /**
   * Moves the pending chunks of {@code due[from...]} in one transaction; returns where it ended.
   * The transaction runs outside the journal's lock, so appends do not wait for it: the chunks stay
   * pending (and readable) until it has committed.
   */
  private int moveSome(List<JournalStream> due, int from) {
    List<JournalStream> moved = new ArrayList<>();
    List<List<Object[]>> rows = new ArrayList<>();
    int total = 0;
    int next = from;
    journal.lock();
    try {
      while (next < due.size() && total < policy.rowsPerTransaction()) {
        JournalStream stream = due.get(next++);
        if (!journal.holds(stream)) {
          continue; // why: deleted since the pass began; its chunks must not come back
        }
        List<Object[]> chunks = new ArrayList<>();
        for (Journaled chunk : stream.oldestPending(policy.rowsPerTransaction())) {
          LogEntry entry = chunk.entry();
          chunks.add(
              new Object[] {stream.id(), entry.index(), entry.data(), entry.finish() ? 1 : 0});
        }
        moved.add(stream);
        rows.add(chunks);
        total += chunks.size();
      }
    } finally {
      journal.unlock();
    }
    if (total == 0) {
      return next;
    }
    journal.db().writeFirst(c -> Jdbc.updateEach(c, MOVE, rowsOfExisting(c, moved, rows)));
    journal.lock();
    try {
      for (int i = 0; i < moved.size(); i++) {
        if (journal.holds(moved.get(i))) {
          moved.get(i).moved(rows.get(i).size(), journal.pass());
        }
      }
    } finally {
      journal.unlock();
    }
    return next;
  }

  /**
   * The rows of the streams that still exist: the move commits outside the journal's lock, and a
   * stream deleted meanwhile must get no rows back. Asked inside the move's transaction, which no
   * delete can come between (SQLite has one writer).
   */
  private static List<Object[]> rowsOfExisting(
      Connection c, List<JournalStream> streams, List<List<Object[]>> rows) {
    String marks = String.join(", ", Collections.nCopies(streams.size(), "?"));
    Set<String> existing =
        new HashSet<>(
            Jdbc.query(
                c,
                "SELECT id FROM streams WHERE id IN (" + marks + ")",
                row -> row.getString(1),
                streams.stream().map(JournalStream::id).toArray()));
    List<Object[]> kept = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      if (existing.contains(streams.get(i).id())) {
        kept.addAll(rows.get(i));
      }
    }
    return kept;
  }

  /** Deletes the journal's segments that hold nothing older than the oldest chunk still pending. */
  private void deletePrefix() {
    journal.lock();
    try {
      long watermark = journal.nextSeq();
      for (JournalStream stream : journal.streams()) {
        watermark = Math.min(watermark, stream.firstPendingSeq());
      }
      journal.file().deleteBelow(watermark);
    } finally {
      journal.unlock();
    }
  }

  /** Stops the background passes and moves everything still pending. */
  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      pass(true);
    } catch (RuntimeException e) {
      // why: a shutdown must not fail on this; the journal keeps the chunks and the next start
      // moves them.
      LOG.warn("moving the last journal chunks at shutdown failed: {}", e.toString());
    }
  }
}
