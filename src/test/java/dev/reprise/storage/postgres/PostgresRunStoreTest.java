package dev.reprise.storage.postgres;

import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.run.RunStore;
import dev.reprise.run.RunStoreContract;
import dev.reprise.storage.StoreFixtures;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRunStoreTest extends RunStoreContract {

  @RegisterExtension final TempPostgres postgres = new TempPostgres();

  @Override
  protected RunStore createRunStore() {
    return new SqlRunStore(postgres.database());
  }

  @Override
  protected Chat createChat(String accountName) {
    return StoreFixtures.newChat(postgres.database(), accountName);
  }

  @Override
  protected ChatStore chats() {
    return new SqlChatStore(postgres.database());
  }
}
