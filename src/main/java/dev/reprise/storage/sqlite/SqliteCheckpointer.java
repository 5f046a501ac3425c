package dev.reprise.storage.sqlite;

import dev.reprise.storage.WriteFaults;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log into the database file in the background, on a connection of its own.
 * SQLite's automatic checkpoint runs inside the commit that fills the log, and with it the fsync of
 * the database file: a stall of milliseconds in a chunk append, and so for every run waiting on the
 * same group commit. A passive checkpoint here waits for nobody and lets writers go on.
 */
final class SqliteCheckpointer implements AutoCloseable {
  /**
   * The automatic checkpoint stays on as a safety net, at this many pages (4 KiB each), should the
   * background one fall behind.
   */
  static final int SAFETY_NET_PAGES = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);

  private final Connection connection;
  private final ScheduledExecutorService timer;
  private final AtomicLong checkpointedFrames = new AtomicLong();

  private final WriteFaults faults;
  private boolean failing;

  private SqliteCheckpointer(Connection connection, Duration every, WriteFaults faults) {
    this.connection = connection;
    this.faults = faults;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sqlite-checkpoint").factory());
    long millis = every.toMillis();
    timer.scheduleWithFixedDelay(this::checkpointSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  static SqliteCheckpointer start(
      String url, Properties pragmas, Duration every, WriteFaults faults) throws SQLException {
    return new SqliteCheckpointer(DriverManager.getConnection(url, pragmas), every, faults);
  }

  /** Frames copied into the database file so far (for tests and logs). */
  long checkpointedFrames() {
    return checkpointedFrames.get();
  }

  private void checkpointSafely() {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      if (result.next()) {
        checkpointedFrames.addAndGet(Math.max(0, result.getLong(3)));
      }
      if (failing) {
        failing = false;
        LOG.info("background checkpoint works again");
      }
    } catch (SQLException | RuntimeException e) {
      faults.failed(e);
      // why: on a full disk this fails twice a second; say so once, not in every log line.
      if (!failing) {
        failing = true;
        LOG.warn(
            "background checkpoint failed (SQLite checkpoints by itself meanwhile; reported"
                + " again only after it works once more): {}",
            e.toString());
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      LOG.warn("closing the checkpoint connection failed: {}", e.toString());
    }
  }
}
