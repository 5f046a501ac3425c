package dev.reprise.storage.postgres;

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
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresToolWaitStoreTest extends ToolWaitStoreContract {

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
    return StoreFixtures.newChat(postgres.database(), accountName);
  }
}
