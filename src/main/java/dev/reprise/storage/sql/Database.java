package dev.reprise.storage.sql;

import dev.reprise.storage.WriteFaults;
import java.sql.Connection;
import java.util.Optional;
import java.util.function.Function;

/** A relational database the SQL stores run on: reads and write transactions. */
public interface Database extends AutoCloseable {

  /** Runs {@code work} on a connection for reading. */
  <T> T read(Function<Connection, T> work);

  /**
   * Runs {@code work} in one transaction, committed when it returns and rolled back if it throws.
   */
  <T> T write(Function<Connection, T> work);

  /** Whether the database answers now (for readiness). */
  boolean isReachable();

  /** Why writes are failing now (a full disk, say), or empty; see {@link WriteFaults}. */
  default Optional<String> writeFault() {
    return Optional.empty();
  }

  /** The dialect's way to lock the rows a subquery selects, skipping rows other nodes hold. */
  String skipLocked();

  /**
   * Inside a write, serialises the rest of the transaction with every other write that takes the
   * same lock, on any node (until commit or rollback). SQLite already has one writer at a time.
   */
  default void lockFor(Connection connection, String key) {}

  /**
   * Whether {@link #lockFor} serialises across nodes, so that a write may hold it while it waits on
   * something else. SQLite's single writer must not be held that way: the stream log's own writes
   * queue behind it.
   */
  default boolean locksAcrossNodes() {
    return false;
  }

  /** How many connections writes can use at once. */
  default int poolSize() {
    return 1;
  }

  @Override
  void close();
}
