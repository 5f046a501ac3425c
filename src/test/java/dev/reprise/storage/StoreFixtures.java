package dev.reprise.storage;

import dev.reprise.auth.Account;
import dev.reprise.chat.Chat;
import dev.reprise.storage.sql.Database;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import java.time.Instant;
import java.util.UUID;

/** Records that the SQL store tests of both backends need. */
public final class StoreFixtures {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private StoreFixtures() {}

  /** A new chat of the named account, which is created if needed. */
  public static Chat newChat(Database db, String accountName) {
    Account account = new SqlAccountStore(db).findOrCreate(accountName, T0);
    Chat chat = new Chat(UUID.randomUUID().toString(), account.id(), "t", "offline", T0, T0);
    new SqlChatStore(db).create(chat);
    return chat;
  }
}
