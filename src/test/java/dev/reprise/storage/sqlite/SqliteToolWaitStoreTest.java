package dev.reprise.storage.sqlite;

import dev.reprise.approval.ToolWaitStore;
import dev.reprise.approval.ToolWaitStoreContract;
import dev.reprise.auth.Account;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.protocol.Json;
import dev.reprise.run.RunStore;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import dev.reprise.storage.sql.SqlToolWaitStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SqliteToolWaitStoreTest extends ToolWaitStoreContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

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
    SqliteDatabase db = sqlite.database(dir);
    Account account = new SqlAccountStore(db).findOrCreate(accountName, T0);
    Chat chat = new Chat(UUID.randomUUID().toString(), account.id(), "t", "offline", T0, T0);
    new SqlChatStore(db).create(chat);
    return chat;
  }
}
