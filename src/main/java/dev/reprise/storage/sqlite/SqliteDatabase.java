package dev.reprise.storage.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reprise.config.SqliteSync;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.WriteFaults;
import dev.reprise.storage.sql.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * The embedded database: one SQLite file in WAL mode. Reads share a small pool; writes go through
 * one connection under a lock, because SQLite has a single writer anyway and queueing in Java is
 * cheaper and fairer than spinning on SQLITE_BUSY. Another process (the CLI) may write too: it
 * waits on busy_timeout.
 */
public final class SqliteDatabase implements Database {
  private static final Duration CHECKPOINT_EVERY = Duration.ofMillis(500);

  private static final long DISK_FULL_BELOW = 1024 * 1024;

  private final Path file;
  private final SqliteSync sync;
  private final WriteFaults faults;
  // why: apart from SQLite's, so that neither's successes hide the other's failures.
  private final WriteFaults journalFaults = new WriteFaults();
  private final HikariDataSource readers;
  private final Connection writer;
  private final SqliteCheckpointer checkpointer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Semaphore ordinaryWriters = new Semaphore(1);

  private SqliteDatabase(
      Path file,
      SqliteSync sync,
      HikariDataSource readers,
      Connection writer,
      SqliteCheckpointer checkpointer,
      WriteFaults faults) {
    this.file = file;
    this.sync = sync;
    this.faults = faults;
    this.readers = readers;
    this.writer = writer;
    this.checkpointer = checkpointer;
  }

  /** Opens (creating if needed) {@code file}, migrates it, and applies the pragmas. */
  public static SqliteDatabase open(Path file, SqliteSync sync) {
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    Properties pragmas = new Properties();
    pragmas.setProperty("journal_mode", "WAL");
    pragmas.setProperty(
        "synchronous",
        switch (sync) {
          case NORMAL -> "NORMAL";
          case FULL -> "FULL";
        });
    pragmas.setProperty("foreign_keys", "true");
    pragmas.setProperty("busy_timeout", "10000");
    // why: the driver otherwise prepares and runs a last_insert_rowid() query after every insert,
    // a third of a chunk append's cost; nothing here asks for generated keys.
    pragmas.setProperty("jdbc.get_generated_keys", "false");
    try {
      Connection writer = DriverManager.getConnection(url, pragmas);
      try (Statement statement = writer.createStatement()) {
        statement.execute("PRAGMA wal_autocheckpoint=" + SqliteCheckpointer.SAFETY_NET_PAGES);
      }
      migrate(url, pragmas);
      WriteFaults faults = new WriteFaults();
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(url);
      pool.setDataSourceProperties(pragmas);
      pool.setPoolName("reprise-sqlite-readers");
      pool.setMaximumPoolSize(8);
      pool.setReadOnly(false);
      return new SqliteDatabase(
          file,
          sync,
          new HikariDataSource(pool),
          writer,
          SqliteCheckpointer.start(url, pragmas, CHECKPOINT_EVERY, faults),
          faults);
    } catch (SQLException e) {
      throw new StorageException("cannot open " + file, e);
    }
  }

  private static void migrate(String url, Properties pragmas) {
    var dataSource = new org.sqlite.SQLiteDataSource();
    dataSource.setUrl(url);
    dataSource.setJournalMode("WAL");
    dataSource.setEnforceForeignKeys(false);
    dataSource.getConfig().setBusyTimeout(Integer.parseInt(pragmas.getProperty("busy_timeout")));
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
  }

  @Override
  public <T> T read(Function<Connection, T> work) {
    try (Connection connection = readers.getConnection()) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new StorageException("read failed", e);
    }
  }

  /**
   * Runs {@code work} in one write transaction, committed when it returns and rolled back if it
   * throws. At most one such write waits for the writer at a time, so that a burst of them (a
   * thousand chats starting at once) cannot queue ahead of the stream log's appends.
   */
  @Override
  public <T> T write(Function<Connection, T> work) {
    if (writeLock.isHeldByCurrentThread()) {
      return transaction(work);
    }
    ordinaryWriters.acquireUninterruptibly();
    try {
      return transaction(work);
    } finally {
      ordinaryWriters.release();
    }
  }

  /**
   * Runs {@code work} in one write transaction ahead of the ordinary writes that wait: for the
   * stream log's journal, whose appends readers wait for. Every write made under the journal's lock
   * must come this way, or appends would wait on that lock behind the ordinary queue.
   */
  public <T> T writeFirst(Function<Connection, T> work) {
    return transaction(work);
  }

  private <T> T transaction(Function<Connection, T> work) {
    writeLock.lock();
    try {
      writer.setAutoCommit(false);
      try {
        T result = work.apply(writer);
        writer.commit();
        faults.succeeded();
        return result;
      } catch (RuntimeException e) {
        faults.failed(e);
        writer.rollback();
        throw e;
      } finally {
        writer.setAutoCommit(true);
      }
    } catch (SQLException e) {
      faults.failed(e);
      throw new StorageException("write failed", e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public Optional<String> writeFault() {
    // why: SQLite often reports a full disk only as a rolled-back transaction, and a full disk
    // still takes some writes (in WAL pages SQLite already has); the file system says it plainly.
    return diskFull()
        ? Optional.of(WriteFaults.DISK_FULL)
        : faults.current().or(journalFaults::current);
  }

  private boolean diskFull() {
    try {
      return Files.getFileStore(file).getUsableSpace() < DISK_FULL_BELOW;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean isReachable() {
    try {
      return read(
          c -> {
            try {
              return c.isValid(2);
            } catch (SQLException e) {
              return false;
            }
          });
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** SQLite has one writer at a time, so a plain select is already exclusive inside a write. */
  @Override
  public String skipLocked() {
    return "";
  }

  /** The directory of the stream log's journal, beside the database file. */
  Path journalDir() {
    return file.resolveSibling(file.getFileName() + "-chunks");
  }

  /** Whether a write must reach the device before it counts as done ({@code FULL}). */
  boolean syncsEachWrite() {
    return sync == SqliteSync.FULL;
  }

  /** Where the stream log's journal file reports how its writes went, for {@link #writeFault}. */
  WriteFaults journalFaults() {
    return journalFaults;
  }

  /** Frames the background checkpoint has copied into the database file so far. */
  long checkpointedFrames() {
    return checkpointer.checkpointedFrames();
  }

  @Override
  public void close() {
    checkpointer.close();
    readers.close();
    try {
      writer.close();
    } catch (SQLException e) {
      throw new StorageException("close failed", e);
    }
  }
}
