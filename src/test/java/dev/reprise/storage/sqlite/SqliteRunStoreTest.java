package dev.reprise.storage.sqlite;

import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.run.RunStore;
import dev.reprise.run.RunStoreContract;
import dev.reprise.storage.StoreFixtures;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunStoreTest extends RunStoreContract {

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  @Override
  protected RunStore createRunStore() {
    return new SqlRunStore(sqlite.database(dir));
  }

  @Override
  protected Chat createChat(String accountName) {
    return StoreFixtures.newChat(sqlite.database(dir), accountName);
  }

  @Override
  protected ChatStore chats() {
    return new SqlChatStore(sqlite.database(dir));
  }
}
