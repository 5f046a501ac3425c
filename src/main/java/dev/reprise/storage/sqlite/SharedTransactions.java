package dev.reprise.storage.sqlite;

import dev.reprise.storage.GroupCommit;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.WriteFaults;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The ordinary writes to SQLite, group-committed: the writes that arrive while a transaction is in
 * flight share the next one, each in a savepoint of its own, so that one that is refused (a
 * constraint, or its own code throwing) is rolled back alone and its caller alone gets the
 * exception; a failure of the database itself fails the transaction and every write in it. A burst
 * of chats starting at once (three small writes each) then costs a few commits, not thousands, and
 * only one transaction of them at a time waits for the writer ahead of the stream log's appends. A
 * lone write is a transaction of its own.
 */
final class SharedTransactions {
  /** The most writes one transaction takes. */
  static final int MAX_BATCH = 32;

  /** What one write gave its caller. */
  sealed interface Done {
    record Value(Object value) implements Done {}

    record Failed(RuntimeException failure) implements Done {}
  }

  private final GroupCommit<Function<Connection, ?>, Done> commits;
  private final LongAdder transactions = new LongAdder();

  /** {@code transaction}: runs a body in one write transaction, committed when it returns. */
  SharedTransactions(Function<Function<Connection, List<Done>>, List<Done>> transaction) {
    this.commits =
        new GroupCommit<>(
            works -> transaction.apply(c -> run(c, works)),
            MAX_BATCH,
            1,
            size -> transactions.increment());
  }

  /** How many writes wait for a transaction now. */
  int queued() {
    return commits.queued();
  }

  /** How many transactions the writes took so far. */
  long transactions() {
    return transactions.sum();
  }

  @SuppressWarnings("unchecked")
  <T> T write(Function<Connection, T> work) {
    return switch (commits.submit(work)) {
      case Done.Value(Object value) -> (T) value;
      case Done.Failed(RuntimeException failure) -> throw failure;
    };
  }

  private static List<Done> run(Connection c, List<Function<Connection, ?>> works) {
    List<Done> done = new ArrayList<>(works.size());
    if (works.size() == 1) {
      // why: alone, a failure rolls the whole transaction back, as it always did.
      done.add(new Done.Value(works.getFirst().apply(c)));
      return done;
    }
    for (Function<Connection, ?> work : works) {
      done.add(inSavepoint(c, work));
    }
    return done;
  }

  private static Done inSavepoint(Connection c, Function<Connection, ?> work) {
    Savepoint savepoint = savepoint(c);
    try {
      Object value = work.apply(c);
      c.releaseSavepoint(savepoint);
      return new Done.Value(value);
    } catch (RuntimeException e) {
      if (!WriteFaults.isRefusal(e)) {
        throw e;
      }
      rollback(c, savepoint, e);
      return new Done.Failed(e);
    } catch (SQLException e) {
      throw new StorageException("release savepoint failed", e);
    }
  }

  private static Savepoint savepoint(Connection c) {
    try {
      return c.setSavepoint();
    } catch (SQLException e) {
      throw new StorageException("savepoint failed", e);
    }
  }

  private static void rollback(Connection c, Savepoint savepoint, RuntimeException cause) {
    try {
      c.rollback(savepoint);
      c.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      // why: the transaction is unusable; failing it whole fails every write in it.
      StorageException failure = new StorageException("rollback to savepoint failed", e);
      failure.addSuppressed(cause);
      throw failure;
    }
  }
}
