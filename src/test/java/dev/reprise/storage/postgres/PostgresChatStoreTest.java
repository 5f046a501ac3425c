package dev.reprise.storage.postgres;

import dev.reprise.chat.ChatStore;
import dev.reprise.chat.ChatStoreContract;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresChatStoreTest extends ChatStoreContract {
  @RegisterExtension final TempPostgres postgres = new TempPostgres();

  @Override
  protected ChatStore createChatStore() {
    return new SqlChatStore(postgres.database());
  }

  @Override
  protected String createAccount(String name) {
    return new SqlAccountStore(postgres.database())
        .findOrCreate(name, Instant.parse("2025-01-01T00:00:00Z"))
        .id();
  }
}
