package dev.reprise.storage;

import java.sql.SQLException;

/** A storage operation failed for a reason the caller cannot fix (I/O, database down, bug). */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when the database refused the statement because of a unique or primary key. */
  public boolean isUniqueViolation() {
    Throwable cause = getCause();
    if (cause instanceof SQLException sql) {
      String state = sql.getSQLState();
      String text = String.valueOf(sql.getMessage());
      return "23505".equals(state)
          || text.contains("UNIQUE constraint failed")
          || text.contains("PRIMARY KEY constraint failed")
          || text.contains("SQLITE_CONSTRAINT_PRIMARYKEY")
          || text.contains("SQLITE_CONSTRAINT_UNIQUE");
    }
    return false;
  }
}
