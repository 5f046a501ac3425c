package dev.reprise.storage.sqlite;

import dev.reprise.durable.DsCatalog;
import dev.reprise.durable.DsCatalogContract;
import dev.reprise.protocol.Json;
import dev.reprise.storage.sql.SqlDsCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteDsCatalogTest extends DsCatalogContract {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();
  private DsCatalog catalog;

  @Override
  protected DsCatalog catalog() {
    if (catalog == null) {
      catalog = new SqlDsCatalog(sqlite.database(dir), new Json());
    }
    return catalog;
  }
}
