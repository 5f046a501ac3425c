package dev.reprise.storage.postgres;

import dev.reprise.durable.DsCatalog;
import dev.reprise.durable.DsCatalogContract;
import dev.reprise.protocol.Json;
import dev.reprise.storage.sql.SqlDsCatalog;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresDsCatalogTest extends DsCatalogContract {
  @RegisterExtension final TempPostgres postgres = new TempPostgres();
  private DsCatalog catalog;

  @Override
  protected DsCatalog catalog() {
    if (catalog == null) {
      catalog = new SqlDsCatalog(postgres.database(), new Json());
    }
    return catalog;
  }

  @Override
  protected DsCatalog secondNode() {
    return new SqlDsCatalog(postgres.database(), new Json());
  }
}
