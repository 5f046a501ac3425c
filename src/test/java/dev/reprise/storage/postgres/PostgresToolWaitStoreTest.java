package dev.reprise.storage.postgres;

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
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresToolWaitStoreTest extends ToolWaitStoreContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @RegisterExtension final TempPostgres postgres = new TempPostgres();

  @Override
  protected ToolWaitStore waits() {
    return new SqlToolWaitStore(postgres.database(), new Json());
  }

  @Override
  protected RunStore runs() {
    return new SqlRunStore(postgres.database());
  }

  @Override
  protected ChatStore chats() {
    return new SqlChatStore(postgres.database());
  }

  @Override
  protected Chat createChat(String accountName) {
    PostgresDatabase db = postgres.database();
    Account account = new SqlAccountStore(db).findOrCreate(accountName, T0);
    Chat chat = new Chat(UUID.randomUUID().toString(), account.id(), "t", "offline", T0, T0);
    new SqlChatStore(db).create(chat);
    return chat;
  }
}
