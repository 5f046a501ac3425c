package dev.reprise.storage.sql;

import static dev.reprise.storage.Jdbc.instant;
import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.queryOne;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.approval.ToolWait;
import dev.reprise.approval.ToolWaitStore;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.ToolAnswer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Tool waits in SQL. Answers are claimed inside run admission ({@link SqlRunStore#admit}). */
public final class SqlToolWaitStore implements ToolWaitStore {
  private static final String COLUMNS =
      "chat_id, id, message_id, tool_call_id, tool_name, input, kind, state, answer, created_at";

  private final Database db;
  private final Json json;

  public SqlToolWaitStore(Database db, Json json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public void record(List<ToolWait> waits) {
    if (waits.isEmpty()) {
      return;
    }
    db.write(
        c -> {
          for (ToolWait wait : waits) {
            update(
                c,
                "INSERT INTO tool_waits (chat_id, id, message_id, tool_call_id, tool_name, input,"
                    + " kind, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT DO NOTHING",
                wait.chatId(),
                wait.id(),
                wait.messageId(),
                wait.toolCallId(),
                wait.toolName(),
                json.write(wait.input()),
                wait.kind().wire(),
                wait.state().wire(),
                wait.createdAt().toEpochMilli());
          }
          return null;
        });
  }

  @Override
  public Optional<ToolWait> find(String chatId, String id) {
    return db.read(
        c ->
            queryOne(
                c,
                "SELECT " + COLUMNS + " FROM tool_waits WHERE chat_id = ? AND id = ?",
                this::wait,
                chatId,
                id));
  }

  @Override
  public List<ToolWait> pending(String chatId) {
    return db.read(c -> pending(c, chatId));
  }

  @Override
  public Set<String> waitingChats(String accountId) {
    return db.read(
        c ->
            new HashSet<>(
                query(
                    c,
                    "SELECT DISTINCT w.chat_id FROM tool_waits w JOIN chats ch ON ch.id = w.chat_id"
                        + " WHERE ch.account_id = ? AND w.state = 'pending'",
                    row -> row.getString("chat_id"),
                    accountId)));
  }

  @Override
  public List<ToolWait> answeredBy(String runId) {
    return db.read(
        c ->
            query(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM tool_waits WHERE answered_by = ? ORDER BY created_at, id",
                this::wait,
                runId));
  }

  @Override
  public List<ToolWait> cancelPending(String chatId, Instant at) {
    return db.write(
        c -> {
          Optional<String> account =
              queryOne(
                  c,
                  "SELECT account_id FROM chats WHERE id = ?",
                  row -> row.getString("account_id"),
                  chatId);
          if (account.isEmpty()) {
            return List.of();
          }
          // why: answers are claimed under the admission lock; taking it here too makes a stop
          // and an answer for the same wait take turns on every node.
          db.lockFor(c, SqlRunStore.admissionLock(account.get()));
          List<ToolWait> pending = pending(c, chatId);
          update(
              c,
              "UPDATE tool_waits SET state = 'cancelled', answered_at = ?"
                  + " WHERE chat_id = ? AND state = 'pending'",
              at.toEpochMilli(),
              chatId);
          return pending;
        });
  }

  List<ToolWait> pending(Connection c, String chatId) {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM tool_waits WHERE chat_id = ? AND state = 'pending' ORDER BY created_at, id",
        this::wait,
        chatId);
  }

  List<ToolWait> ofMessage(Connection c, String chatId, String messageId) {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM tool_waits WHERE chat_id = ? AND message_id = ? ORDER BY created_at, id",
        this::wait,
        chatId,
        messageId);
  }

  /** pending → answered; false if it was no longer pending. */
  boolean answer(Connection c, String chatId, ToolAnswer answer, String id, Instant at) {
    return update(
            c,
            "UPDATE tool_waits SET state = 'answered', answer = ?, answered_at = ?"
                + " WHERE chat_id = ? AND id = ? AND state = 'pending'",
            json.write(answer),
            at.toEpochMilli(),
            chatId,
            id)
        == 1;
  }

  /** Gives the message's answers that no run continued with yet to {@code runId}. */
  static void handOver(Connection c, String chatId, String messageId, String runId) {
    update(
        c,
        "UPDATE tool_waits SET answered_by = ? WHERE chat_id = ? AND message_id = ?"
            + " AND state = 'answered' AND answered_by IS NULL",
        runId,
        chatId,
        messageId);
  }

  /** A new message instead of an answer: whatever still waits in the chat is cancelled. */
  static void cancelAll(Connection c, String chatId, Instant at) {
    update(
        c,
        "UPDATE tool_waits SET state = 'cancelled', answered_at = ?"
            + " WHERE chat_id = ? AND state = 'pending'",
        at.toEpochMilli(),
        chatId);
  }

  private ToolWait wait(ResultSet row) throws SQLException {
    String answer = row.getString("answer");
    return new ToolWait(
        row.getString("id"),
        row.getString("chat_id"),
        row.getString("message_id"),
        row.getString("tool_call_id"),
        row.getString("tool_name"),
        json.tree(row.getString("input")),
        ToolWait.Kind.fromWire(row.getString("kind")),
        ToolWait.State.fromWire(row.getString("state")),
        answer == null ? Optional.empty() : Optional.of(json.read(answer, ToolAnswer.class)),
        instant(row, "created_at"));
  }
}
