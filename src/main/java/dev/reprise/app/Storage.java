package dev.reprise.app;

import dev.reprise.auth.AccountStore;
import dev.reprise.chat.ChatStore;
import dev.reprise.config.RepriseConfig;
import dev.reprise.run.RunStore;
import dev.reprise.storage.sqlite.SqliteAccountStore;
import dev.reprise.storage.sqlite.SqliteChatStore;
import dev.reprise.storage.sqlite.SqliteDatabase;
import dev.reprise.storage.sqlite.SqliteRunStore;
import dev.reprise.storage.sqlite.SqliteStreamLog;
import dev.reprise.stream.StreamLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The storage backends chosen by the configuration, one per port. */
public record Storage(
    String name,
    AccountStore accounts,
    ChatStore chats,
    RunStore runs,
    StreamLog streams,
    AutoCloseable resources) {

  /** The embedded default: everything in one SQLite file in the data dir. */
  public static Storage open(RepriseConfig config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + config.dataDir(), e);
    }
    SqliteDatabase db =
        SqliteDatabase.open(config.dataDir().resolve("reprise.db"), config.sqliteSync());
    return new Storage(
        "sqlite",
        new SqliteAccountStore(db),
        new SqliteChatStore(db),
        new SqliteRunStore(db),
        new SqliteStreamLog(db),
        db);
  }

  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing storage failed", e);
    }
  }
}
