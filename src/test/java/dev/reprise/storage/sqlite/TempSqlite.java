package dev.reprise.storage.sqlite;

import dev.reprise.config.SqliteSync;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh SQLite database in a test's {@code @TempDir}, closed after each test. Register it as an
 * instance field with {@code @RegisterExtension}; {@link #database(Path)} opens the database on
 * first use and returns the same one for the rest of the test.
 */
public final class TempSqlite implements AfterEachCallback {
  private SqliteDatabase db;

  public SqliteDatabase database(Path dir) {
    if (db == null) {
      db = SqliteDatabase.open(dir.resolve("reprise.db"), SqliteSync.NORMAL);
    }
    return db;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (db != null) {
      db.close();
      db = null;
    }
  }
}
