package dev.reprise.storage;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a database's writes are failing now: the last write (or SQLite checkpoint) failed and no
 * write transaction has succeeded since, within the last {@link #WINDOW}. This is what {@code GET
 * /health} reports as its reason; the details go to the log.
 */
public final class WriteFaults {
  /** A failure older than this, with nothing tried since, no longer counts. */
  public static final Duration WINDOW = Duration.ofSeconds(10);

  public static final String DISK_FULL = "storage writes are failing: the disk is full";

  private volatile long failedAt;
  private volatile long succeededAt;
  private volatile String reason;

  /** Records a failed write, unless the database only refused it (a constraint, say). */
  public void failed(Throwable e) {
    if (isRefusal(e)) {
      return;
    }
    reason = reasonFor(e);
    failedAt = System.nanoTime();
  }

  /** A constraint or a conflict: the statement was refused, the database itself is fine. */
  static boolean isRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = String.valueOf(sql.getSQLState());
        String text = String.valueOf(sql.getMessage());
        if (state.startsWith("23")
            || state.startsWith("40")
            || text.contains("SQLITE_CONSTRAINT")
            || text.contains("constraint failed")) {
          return true;
        }
      }
    }
    return !(e instanceof StorageException) && !(e instanceof SQLException);
  }

  public void succeeded() {
    succeededAt = System.nanoTime();
  }

  /** Why writes fail now, or empty when they do not (as far as anything tried). */
  public Optional<String> current() {
    String why = reason;
    long failed = failedAt;
    if (why == null || succeededAt - failed > 0 || System.nanoTime() - failed > WINDOW.toNanos()) {
      return Optional.empty();
    }
    return Optional.of(why);
  }

  /** A short reason that names the cause without echoing the database's own text. */
  static String reasonFor(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = String.valueOf(t.getMessage());
      boolean diskFull =
          text.contains("SQLITE_FULL")
              || text.contains("No space left")
              || (t instanceof SQLException sql && "53100".equals(sql.getSQLState()));
      if (diskFull) {
        return DISK_FULL;
      }
      if (text.contains("SQLITE_IOERR") || text.contains("SQLITE_READONLY")) {
        return "storage writes are failing: an I/O error";
      }
    }
    return "storage writes are failing";
  }
}
