package dev.reprise.storage.sqlite;

import dev.reprise.auth.AccountStore;
import dev.reprise.auth.AccountStoreContract;
import dev.reprise.storage.sql.SqlAccountStore;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteAccountStoreTest extends AccountStoreContract {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  @Override
  protected AccountStore createAccountStore() {
    return new SqlAccountStore(sqlite.database(dir));
  }
}
