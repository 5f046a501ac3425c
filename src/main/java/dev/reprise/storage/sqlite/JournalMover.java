package dev.reprise.storage.sqlite;

import static dev.reprise.storage.Jdbc.update;

import dev.reprise.storage.Jdbc;
import dev.reprise.storage.sqlite.JournalStream.Journaled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves chunks from the journal to {@code stream_chunks}, a stream's chunks together so that their
 * index entries share pages, and deletes the journal's prefix that every stream is past. A stream's
 * pending chunks move once it is closed, once it has {@link Policy#maxPending} of them, or once the
 * oldest has waited {@link Policy#maxWaitPasses} passes and the stream's share of {@link
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
  private long deletedBelow = 1;
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
   */
  private int moveSome(List<JournalStream> due, int from) {
    journal.lock();
    try {
      List<JournalStream> moved = new ArrayList<>();
      List<Integer> counts = new ArrayList<>();
      List<Object[]> rows = new ArrayList<>();
      int next = from;
      while (next < due.size() && rows.size() < policy.rowsPerTransaction()) {
        JournalStream stream = due.get(next++);
        if (!journal.holds(stream)) {
          continue; // why: deleted since the pass began; its chunks must not come back
        }
        List<Journaled> chunks = stream.oldestPending(policy.rowsPerTransaction());
        for (Journaled chunk : chunks) {
          rows.add(
              new Object[] {
                stream.id(),
                chunk.entry().index(),
                chunk.entry().data(),
                chunk.entry().finish() ? 1 : 0
              });
        }
        moved.add(stream);
        counts.add(chunks.size());
      }
      if (rows.isEmpty()) {
        return next;
      }
      journal.db().writeFirst(c -> Jdbc.updateEach(c, MOVE, rows));
      for (int i = 0; i < moved.size(); i++) {
        moved.get(i).moved(counts.get(i), journal.pass());
      }
      return next;
    } finally {
      journal.unlock();
    }
  }

  /** Deletes the journal rows before the oldest one still pending, a bounded range at a time. */
  private void deletePrefix() {
    while (true) {
      journal.lock();
      try {
        long watermark = journal.nextSeq();
        for (JournalStream stream : journal.streams()) {
          watermark = Math.min(watermark, stream.firstPendingSeq());
        }
        long below = Math.min(watermark, deletedBelow + 4L * policy.rowsPerTransaction());
        if (below <= deletedBelow) {
          return;
        }
        journal.db().writeFirst(c -> update(c, "DELETE FROM chunk_journal WHERE seq < ?", below));
        deletedBelow = below;
      } finally {
        journal.unlock();
      }
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
