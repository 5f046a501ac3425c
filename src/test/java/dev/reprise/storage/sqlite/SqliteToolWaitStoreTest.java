package dev.reprise.storage.sqlite;

import dev.reprise.approval.ToolWaitStore;
import dev.reprise.approval.ToolWaitStoreContract;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.protocol.Json;
import dev.reprise.run.RunStore;
import dev.reprise.storage.StoreFixtures;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import dev.reprise.storage.sql.SqlToolWaitStore;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteToolWaitStoreTest extends ToolWaitStoreContract {

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  @Override
  protected ToolWaitStore waits() {
    return new SqlToolWaitStore(sqlite.database(dir), new Json());
  }

  @Override
  protected RunStore runs() {
    return new SqlRunStore(sqlite.database(dir));
  }

  @Override
  protected ChatStore chats() {
    return new SqlChatStore(sqlite.database(dir));
  }

  @Override
  protected Chat createChat(String accountName) {
    return StoreFixtures.newChat(sqlite.database(dir), accountName);
  }
}
