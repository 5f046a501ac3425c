package dev.reprise.storage.postgres;

import dev.reprise.auth.Account;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.run.RunStore;
import dev.reprise.run.RunStoreContract;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRunStoreTest extends RunStoreContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @RegisterExtension final TempPostgres postgres = new TempPostgres();

  @Override
  protected RunStore createRunStore() {
    return new SqlRunStore(postgres.database());
  }

  @Override
  protected Chat createChat(String accountName) {
    PostgresDatabase db = postgres.database();
    Account account = new SqlAccountStore(db).findOrCreate(accountName, T0);
    Chat chat = new Chat(UUID.randomUUID().toString(), account.id(), "t", "offline", T0, T0);
    new SqlChatStore(db).create(chat);
    return chat;
  }

  @Override
  protected ChatStore chats() {
    return new SqlChatStore(postgres.database());
  }
}
