package dev.reprise.storage.sql;

import static dev.reprise.storage.Jdbc.instant;
import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.queryOne;
import static dev.reprise.storage.Jdbc.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.approval.ToolWait;
import dev.reprise.approval.ToolWaitStore;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.ToolParts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  public List<ToolWait> cancelPending(String chatId, String reason, Instant at) {
    return db.write(
        c -> {
          // why: answers are claimed under the admission lock; taking it here too makes a stop
          // and an answer for the same wait take turns on every node.
          if (!SqlRunStore.lockChatAccount(db, c, chatId)) {
            return List.<ToolWait>of();
          }
          return cancelAll(c, chatId, reason, at);
        });
  }

  /**
   * Cancels what waits in the chat and ends those calls in their messages: an approval as denied
   * with {@code reason}, a client-side tool failed with it. Returns the waits cancelled.
   */
  List<ToolWait> cancelAll(Connection c, String chatId, String reason, Instant at) {
    List<ToolWait> pending = pending(c, chatId);
    if (pending.isEmpty()) {
      return pending;
    }
    update(
        c,
        "UPDATE tool_waits SET state = 'cancelled', answered_at = ?"
            + " WHERE chat_id = ? AND state = 'pending'",
        at.toEpochMilli(),
        chatId);
    Map<String, List<String>> callsByMessage = new LinkedHashMap<>();
    pending.forEach(
        w ->
            callsByMessage
                .computeIfAbsent(w.messageId(), m -> new ArrayList<>())
                .add(w.toolCallId()));
    callsByMessage.forEach(
        (messageId, calls) ->
            rewrite(c, chatId, messageId, body -> ToolParts.cancelled(body, calls, reason), at));
    return pending;
  }

  /**
   * Shows the message's answered calls as answered (approval responded, client output given) while
   * the run that continues it has not ended yet.
   */
  void showAnswers(Connection c, String chatId, String messageId, Instant at) {
    List<ToolAnswer> answers =
        ofMessage(c, chatId, messageId).stream()
            .filter(w -> w.state() == ToolWait.State.ANSWERED)
            .map(ToolWait::answer)
            .flatMap(Optional::stream)
            .toList();
    rewrite(c, chatId, messageId, body -> ToolParts.answered(body, answers), at);
  }

  private void rewrite(
      Connection c,
      String chatId,
      String messageId,
      java.util.function.Function<JsonNode, JsonNode> change,
      Instant at) {
    queryOne(
            c,
            "SELECT body FROM messages WHERE chat_id = ? AND id = ?",
            row -> row.getString("body"),
            chatId,
            messageId)
        .ifPresent(
            body ->
                update(
                    c,
                    "UPDATE messages SET body = ?, updated_at = ? WHERE chat_id = ? AND id = ?",
                    json.write(change.apply(json.tree(body))),
                    at.toEpochMilli(),
                    chatId,
                    messageId));
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
