package dev.reprise.storage.postgres;

import dev.reprise.auth.AccountStore;
import dev.reprise.auth.AccountStoreContract;
import dev.reprise.storage.sql.SqlAccountStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresAccountStoreTest extends AccountStoreContract {
  @RegisterExtension final TempPostgres postgres = new TempPostgres();

  @Override
  protected AccountStore createAccountStore() {
    return new SqlAccountStore(postgres.database());
  }
}
