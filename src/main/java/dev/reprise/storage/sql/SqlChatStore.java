package dev.reprise.storage.sql;

import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.queryOne;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.storage.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Chats and messages in SQLite. */
public final class SqlChatStore implements ChatStore {
  private static final String CHAT_COLUMNS = "id, account_id, title, model, created_at, updated_at";
  private static final String NEXT_SEQ =
      "(SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE chat_id = ?)";

  private final Database db;

  public SqlChatStore(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Chat> find(String chatId) {
    return db.read(
        c ->
            queryOne(
                c,
                "SELECT " + CHAT_COLUMNS + " FROM chats WHERE id = ?",
                SqlChatStore::chat,
                chatId));
  }

  @Override
  public boolean create(Chat chat) {
    return db.write(
            c ->
                update(
                    c,
                    "INSERT INTO chats ("
                        + CHAT_COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    chat.id(),
                    chat.accountId(),
                    chat.title(),
                    chat.model(),
                    chat.createdAt().toEpochMilli(),
                    chat.updatedAt().toEpochMilli()))
        == 1;
  }

  @Override
  public List<Chat> listByAccount(String accountId) {
    return db.read(
        c ->
            query(
                c,
                "SELECT "
                    + CHAT_COLUMNS
                    + " FROM chats WHERE account_id = ? ORDER BY updated_at DESC, id",
                SqlChatStore::chat,
                accountId));
  }

  @Override
  public void touch(String chatId, Instant at) {
    db.write(c -> touch(c, chatId, at));
  }

  static int touch(Connection c, String chatId, Instant at) {
    return update(
        c,
        "UPDATE chats SET updated_at = ? WHERE id = ? AND updated_at < ?",
        at.toEpochMilli(),
        chatId,
        at.toEpochMilli());
  }

  @Override
  public void edit(String chatId, Optional<String> title, Optional<String> model, Instant at) {
    db.write(
        c ->
            update(
                c,
                "UPDATE chats SET title = COALESCE(?, title), model = COALESCE(?, model),"
                    + " updated_at = ? WHERE id = ?",
                title.orElse(null),
                model.orElse(null),
                at.toEpochMilli(),
                chatId));
  }

  @Override
  public Optional<List<String>> deleteIfIdle(String chatId) {
    return db.write(
        c -> {
          // why: the same lock as run admission, so a run is never admitted for a chat being
          // deleted, nor a chat deleted under a run that was just admitted.
          if (!SqlRunStore.lockChatAccount(db, c, chatId)) {
            return Optional.of(List.<String>of());
          }
          List<String> runIds =
              query(
                  c,
                  "SELECT id, status FROM runs WHERE chat_id = ?",
                  row -> row.getString("status") + " " + row.getString("id"),
                  chatId);
          if (runIds.stream().anyMatch(r -> r.startsWith("queued ") || r.startsWith("running "))) {
            return Optional.empty();
          }
          update(c, "DELETE FROM chats WHERE id = ?", chatId);
          return Optional.of(runIds.stream().map(r -> r.substring(r.indexOf(' ') + 1)).toList());
        });
  }

  @Override
  public boolean appendIfAbsent(String chatId, StoredMessage message, Instant now) {
    return db.write(c -> appendIfAbsent(c, chatId, message, now)) == 1;
  }

  static int appendIfAbsent(Connection c, String chatId, StoredMessage message, Instant now) {
    return insertMessage(c, chatId, message, now, "DO NOTHING");
  }

  /** Inserts the message at the chat's end; {@code onConflict} says what an existing id does. */
  private static int insertMessage(
      Connection c, String chatId, StoredMessage message, Instant now, String onConflict) {
    return update(
        c,
        "INSERT INTO messages (chat_id, id, seq, role, body, created_at, updated_at)"
            + " VALUES (?, ?, "
            + NEXT_SEQ
            + ", ?, ?, ?, ?) ON CONFLICT (chat_id, id) "
            + onConflict,
        chatId,
        message.id(),
        chatId,
        message.role(),
        message.body(),
        now.toEpochMilli(),
        now.toEpochMilli());
  }

  @Override
  public void upsert(String chatId, StoredMessage message, Instant now) {
    db.write(
        c -> {
          insertMessage(
              c,
              chatId,
              message,
              now,
              "DO UPDATE SET body = excluded.body, role = excluded.role,"
                  + " updated_at = excluded.updated_at");
          return touch(c, chatId, now);
        });
  }

  @Override
  public List<StoredMessage> messages(String chatId) {
    return db.read(
        c ->
            query(
                c,
                "SELECT id, role, body FROM messages WHERE chat_id = ? ORDER BY seq",
                row ->
                    new StoredMessage(
                        row.getString("id"), row.getString("role"), row.getString("body")),
                chatId));
  }

  @Override
  public void deleteAfter(String chatId, String messageId) {
    db.write(c -> deleteAfter(c, chatId, messageId));
  }

  static int deleteAfter(Connection c, String chatId, String messageId) {
    return update(
        c,
        "DELETE FROM messages WHERE chat_id = ? AND seq >"
            + " (SELECT seq FROM messages WHERE chat_id = ? AND id = ?)",
        chatId,
        chatId,
        messageId);
  }

  private static Chat chat(ResultSet row) throws SQLException {
    return new Chat(
        row.getString("id"),
        row.getString("account_id"),
        row.getString("title"),
        row.getString("model"),
        Instant.ofEpochMilli(row.getLong("created_at")),
        Instant.ofEpochMilli(Jdbc.nullableLong(row, "updated_at")));
  }
}
