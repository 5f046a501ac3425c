package dev.reprise.storage.postgres;

import dev.reprise.testing.TestPostgres;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A migrated PostgreSQL schema of its own for each test, dropped after it. */
public final class TempPostgres implements BeforeEachCallback, AfterEachCallback {
  private String schema;
  private PostgresDatabase db;

  @Override
  public void beforeEach(ExtensionContext context) {
    TestPostgres.require();
  }

  public PostgresDatabase database() {
    if (db == null) {
      schema = TestPostgres.newSchema();
      db = PostgresDatabase.open(TestPostgres.url(schema), 4);
    }
    return db;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (db != null) {
      db.close();
      TestPostgres.dropSchema(schema);
      db = null;
    }
  }
}
