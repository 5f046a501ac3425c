package dev.reprise.storage.sqlite;

import dev.reprise.chat.ChatStore;
import dev.reprise.chat.ChatStoreContract;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteChatStoreTest extends ChatStoreContract {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  @Override
  protected ChatStore createChatStore() {
    return new SqlChatStore(sqlite.database(dir));
  }

  @Override
  protected String createAccount(String name) {
    return new SqlAccountStore(sqlite.database(dir))
        .findOrCreate(name, Instant.parse("2025-01-01T00:00:00Z"))
        .id();
  }
}
