package dev.reprise.storage.sql;

import static dev.reprise.storage.Jdbc.instant;
import static dev.reprise.storage.Jdbc.millis;
import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.queryOne;
import static dev.reprise.storage.Jdbc.update;

import dev.reprise.approval.ToolWait;
import dev.reprise.approval.ToolWaitStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.run.Admission;
import dev.reprise.run.Run;
import dev.reprise.run.RunQuota;
import dev.reprise.run.RunStatus;
import dev.reprise.run.RunStore;
import dev.reprise.run.Turn;
import dev.reprise.storage.StorageException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Runs in SQL; one live run per chat is enforced by a partial unique index. */
public final class SqlRunStore implements RunStore {
  private static final String STORED_COLUMNS =
      "id, chat_id, account_id, message_id, model, headless, status, error, created_at, started_at,"
          + " completed_at, trace_parent";
  // why: a run continues a message exactly when it has a base message; reading that with the run
  // spares the base message's own read to every run that has none (most of them).
  private static final String COLUMNS =
      STORED_COLUMNS + ", base_message IS NOT NULL AS continues_message";
  private static final String LIVE = "status IN ('queued', 'running')";
  private static final String TAKE =
      "UPDATE runs SET status = 'running', owner = ?, lease_until = ?, started_at = ?";
  private static final Comparator<Run> OLDEST_FIRST =
      Comparator.comparing(Run::createdAt).thenComparing(Run::id);

  private final Database db;
  private final SqlToolWaitStore waits;

  public SqlRunStore(Database db) {
    this(db, new Json());
  }

  public SqlRunStore(Database db, Json json) {
    this.db = db;
    this.waits = new SqlToolWaitStore(db, json);
  }

  @Override
  public boolean insertIfChatIdle(Run run) {
    try {
      return db.write(c -> insert(c, run, "")) == 1;
    } catch (StorageException e) {
      if (e.isUniqueViolation()) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The lock key that serialises, per account, admitting runs with deleting chats (see {@link
   * SqlChatStore#deleteIfIdle}), on every node.
   */
  static String admissionLock(String accountId) {
    return "admit:" + accountId;
  }

  /**
   * Inside a write, takes the admission lock of the chat's account; false (nothing locked) when
   * there is no such chat.
   */
  static boolean lockChatAccount(Database db, Connection c, String chatId) {
    Optional<String> account =
        queryOne(
            c,
            "SELECT account_id FROM chats WHERE id = ?",
            row -> row.getString("account_id"),
            chatId);
    account.ifPresent(a -> db.lockFor(c, admissionLock(a)));
    return account.isPresent();
  }

  @Override
  public Admission admit(Run run, RunQuota quota, Turn turn) {
    if (run.continuesMessage() != turn.answers().isPresent()) {
      throw new IllegalArgumentException(
          "run "
              + run.id()
              + (run.continuesMessage()
                  ? " continues a message but its turn answers no tool call"
                  : " answers tool calls but does not continue their message"));
    }
    return db.write(
        c -> {
          db.lockFor(c, admissionLock(run.accountId()));
          if (queryOne(c, "SELECT id FROM chats WHERE id = ?", r -> 1, run.chatId()).isEmpty()) {
            return new Admission.ChatGone();
          }
          if (turn.answers().isPresent()) {
            Optional<Admission> refused = checkAnswers(c, run, turn.answers().get());
            if (refused.isPresent()) {
              return refused.get();
            }
          }
          if (queryOne(c, "SELECT id FROM runs WHERE chat_id = ? AND " + LIVE, r -> 1, run.chatId())
              .isPresent()) {
            return new Admission.ChatBusy();
          }
          update(
              c,
              "DELETE FROM run_admissions WHERE account_id = ? AND admitted_at <= ?",
              run.accountId(),
              run.createdAt().minus(RunQuota.WINDOW).toEpochMilli());
          Admission quotaLeft = quotaLeft(c, run.accountId(), quota, run.createdAt());
          if (!(quotaLeft instanceof Admission.Admitted)) {
            return quotaLeft;
          }
          if (turn.answers().isPresent()) {
            List<String> waiting = stillWaiting(c, run, turn.answers().get());
            if (!waiting.isEmpty()) {
              claimAnswers(c, run, turn.answers().get());
              return new Admission.StillWaiting(waiting);
            }
          }
          if (insert(c, run, " ON CONFLICT DO NOTHING") == 0) {
            return new Admission.ChatBusy();
          }
          if (turn.answers().isPresent()) {
            claimAnswers(c, run, turn.answers().get());
            continueMessage(c, run, turn.answers().get().messageId());
          } else {
            waits.cancelAll(c, run.chatId(), ToolWaitStore.SUPERSEDED, run.createdAt());
          }
          update(
              c,
              "INSERT INTO run_admissions (account_id, run_id, admitted_at) VALUES (?, ?, ?)",
              run.accountId(),
              run.id(),
              run.createdAt().toEpochMilli());
          // why: the messages go in only once the run is in, under the same lock, so a refused
          // request stores nothing and two turns never race for the next message position.
          for (StoredMessage message : turn.messages()) {
            SqlChatStore.appendIfAbsent(c, run.chatId(), message, run.createdAt());
          }
          turn.truncateAfter()
              .ifPresent(messageId -> SqlChatStore.deleteAfter(c, run.chatId(), messageId));
          if (!turn.messages().isEmpty()) {
            SqlChatStore.touch(c, run.chatId(), run.createdAt());
          }
          return new Admission.Admitted();
        });
  }

  /** Why the answers cannot be taken, checked before anything is written. */
  private Optional<Admission> checkAnswers(Connection c, Run run, Turn.Answers answers) {
    Map<String, ToolWait> byId = new HashMap<>();
    waits.ofMessage(c, run.chatId(), answers.messageId()).forEach(w -> byId.put(w.id(), w));
    Set<String> answered = new HashSet<>();
    for (ToolAnswer answer : answers.answers()) {
      String id = waitId(answer);
      ToolWait wait = byId.get(id);
      if (wait == null) {
        return Optional.of(new Admission.NoSuchWait(id));
      }
      if (wait.state() != ToolWait.State.PENDING || !answered.add(id)) {
        return Optional.of(new Admission.AlreadyAnswered(id));
      }
      if (!wait.accepts(answer)) {
        return Optional.of(new Admission.WrongAnswer(id));
      }
    }
    List<String> left = stillWaiting(c, run, answers);
    return answers.all() && !left.isEmpty()
        ? Optional.of(new Admission.Unanswered(left))
        : Optional.empty();
  }

  /** The message's pending waits that the answers leave open. */
  private List<String> stillWaiting(Connection c, Run run, Turn.Answers answers) {
    Set<String> answered = new HashSet<>();
    answers.answers().forEach(a -> answered.add(waitId(a)));
    return waits.ofMessage(c, run.chatId(), answers.messageId()).stream()
        .filter(w -> w.state() == ToolWait.State.PENDING && !answered.contains(w.id()))
        .map(ToolWait::id)
        .sorted()
        .toList();
  }

  private void claimAnswers(Connection c, Run run, Turn.Answers answers) {
    for (ToolAnswer answer : answers.answers()) {
      if (!waits.answer(c, run.chatId(), answer, waitId(answer), run.createdAt())) {
        // why: checked under the same lock a moment ago; a miss means the invariant broke.
        throw new IllegalStateException("tool wait " + waitId(answer) + " was taken meanwhile");
      }
    }
  }

  private void continueMessage(Connection c, Run run, String messageId) {
    SqlToolWaitStore.handOver(c, run.chatId(), messageId, run.id());
    Optional<String> base =
        queryOne(
            c,
            "SELECT body FROM messages WHERE chat_id = ? AND id = ?",
            row -> row.getString("body"),
            run.chatId(),
            messageId);
    update(
        c,
        "UPDATE runs SET base_message = ? WHERE id = ?",
        base.orElseThrow(() -> new IllegalStateException("no message " + messageId)),
        run.id());
    waits.showAnswers(c, run.chatId(), messageId, run.createdAt());
  }

  private static String waitId(ToolAnswer answer) {
    return switch (answer) {
      case ToolAnswer.Approval approval -> approval.approvalId();
      case ToolAnswer.Output output -> output.toolCallId();
      case ToolAnswer.Failure failure -> failure.toolCallId();
    };
  }

  @Override
  public Optional<String> baseMessage(String runId) {
    return db.read(
        c ->
            queryOne(
                    c,
                    "SELECT base_message FROM runs WHERE id = ?",
                    row -> Optional.ofNullable(row.getString("base_message")),
                    runId)
                .flatMap(b -> b));
  }

  @Override
  public Admission quotaCheck(String accountId, RunQuota quota, Instant now) {
    return db.read(c -> quotaLeft(c, accountId, quota, now));
  }

  /**
   * Whether the account may start a run now. Each count stops at its limit, so the check costs no
   * more than the limit however many runs the account has (an account without limits costs none).
   */
  private static Admission quotaLeft(Connection c, String accountId, RunQuota quota, Instant now) {
    if (quota.limitsLive() && liveUpTo(c, accountId, quota.maxLive()) >= quota.maxLive()) {
      return new Admission.TooManyLive(quota.maxLive());
    }
    if (!quota.limitsPerMinute()) {
      return new Admission.Admitted();
    }
    // why: the account is over the minute's quota while its maxPerMinute-th latest admission is
    // inside the window, and it may start again when that one leaves it.
    return queryOne(
            c,
            "SELECT admitted_at FROM run_admissions WHERE account_id = ? AND admitted_at > ?"
                + " ORDER BY admitted_at DESC LIMIT 1 OFFSET ?",
            r ->
                (Admission)
                    new Admission.TooFrequent(
                        quota.maxPerMinute(), instant(r, "admitted_at").plus(RunQuota.WINDOW)),
            accountId,
            now.minus(RunQuota.WINDOW).toEpochMilli(),
            quota.maxPerMinute() - 1)
        .orElseGet(Admission.Admitted::new);
  }

  private static long liveUpTo(Connection c, String accountId, int limit) {
    return queryOne(
            c,
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM runs WHERE account_id = ? AND "
                + LIVE
                + " LIMIT ?) AS live",
            r -> r.getLong("n"),
            accountId,
            limit)
        .orElse(0L);
  }

  private static int insert(Connection c, Run run, String onConflict) {
    return update(
        c,
        "INSERT INTO runs ("
            + STORED_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + onConflict,
        run.id(),
        run.chatId(),
        run.accountId(),
        run.messageId(),
        run.model(),
        run.headless() ? 1 : 0,
        run.status().wire(),
        run.error(),
        run.createdAt().toEpochMilli(),
        millis(run.startedAt()),
        millis(run.completedAt()),
        run.traceParent());
  }

  @Override
  public Optional<Run> find(String runId) {
    return one("id = ?", runId);
  }

  @Override
  public Optional<Run> findLive(String chatId) {
    return one("chat_id = ? AND " + LIVE, chatId);
  }

  @Override
  public Optional<Run> findLiveOrLatest(String chatId) {
    // why: the live run is ordered first rather than assumed newest: created_at comes from the
    // clock of the node that created the run, and nodes' clocks may disagree.
    return db.read(
        c ->
            queryOne(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM runs WHERE chat_id = ? ORDER BY CASE WHEN "
                    + LIVE
                    + " THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT 1",
                SqlRunStore::run,
                chatId));
  }

  @Override
  public List<Run> findByChat(String chatId) {
    return many("chat_id = ?", chatId);
  }

  @Override
  public List<Run> findLiveByAccount(String accountId) {
    return many("account_id = ? AND " + LIVE, accountId);
  }

  @Override
  public List<Run> findAllRunning() {
    return many("status = 'running'");
  }

  @Override
  public List<Run> claimNext(String node, Instant now, Instant leaseUntil, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("a claim takes at least one run, not " + max);
    }
    // why: materialized, so that the oldest queued runs are picked (and locked) once; a subquery
    // that the planner could run again for the update might pick, and take, more than max.
    List<Run> claimed =
        db.write(
            c ->
                query(
                    c,
                    "WITH picked AS MATERIALIZED (SELECT id FROM runs WHERE status = 'queued'"
                        + " ORDER BY created_at, id LIMIT ?"
                        + db.skipLocked()
                        + ") "
                        + TAKE
                        + " WHERE status = 'queued' AND id IN (SELECT id FROM picked) RETURNING "
                        + COLUMNS,
                    SqlRunStore::run,
                    max,
                    node,
                    leaseUntil.toEpochMilli(),
                    now.toEpochMilli()));
    // why: RETURNING gives no order.
    return claimed.stream().sorted(OLDEST_FIRST).toList();
  }

  @Override
  public boolean claim(String runId, String node, Instant now, Instant leaseUntil) {
    return db.write(
            c ->
                update(
                    c,
                    TAKE + " WHERE id = ? AND status = 'queued'",
                    node,
                    leaseUntil.toEpochMilli(),
                    now.toEpochMilli(),
                    runId))
        == 1;
  }

  @Override
  public Set<String> renewLeases(String node, Instant leaseUntil) {
    return Set.copyOf(
        db.write(
            c ->
                query(
                    c,
                    "UPDATE runs SET lease_until = ? WHERE owner = ? AND " + LIVE + " RETURNING id",
                    row -> row.getString("id"),
                    leaseUntil.toEpochMilli(),
                    node)));
  }

  @Override
  public List<Run> claimExpired(String node, Instant now, Instant leaseUntil) {
    return db.write(
        c ->
            query(
                c,
                "UPDATE runs SET owner = ?, lease_until = ? WHERE id IN (SELECT id FROM runs WHERE "
                    + LIVE
                    + " AND owner IS NOT NULL AND lease_until < ?"
                    + db.skipLocked()
                    + ") RETURNING "
                    + COLUMNS,
                SqlRunStore::run,
                node,
                leaseUntil.toEpochMilli(),
                now.toEpochMilli()));
  }

  @Override
  public boolean requeue(String runId) {
    return db.write(
            c ->
                update(
                    c,
                    "UPDATE runs SET status = 'queued', started_at = NULL, owner = NULL,"
                        + " lease_until = NULL WHERE id = ? AND status = 'running'",
                    runId))
        == 1;
  }

  @Override
  public long countQueued() {
    return db.read(
        c ->
            queryOne(
                    c,
                    "SELECT COUNT(*) AS n FROM runs WHERE status = 'queued'",
                    r -> r.getLong("n"))
                .orElse(0L));
  }

  @Override
  public boolean finish(String runId, RunStatus status, String error, Instant at) {
    return db.write(
            c ->
                update(
                    c,
                    "UPDATE runs SET status = ?, error = ?, completed_at = ? WHERE id = ? AND "
                        + LIVE,
                    status.wire(),
                    error,
                    at.toEpochMilli(),
                    runId))
        == 1;
  }

  @Override
  public void requestCancel(String runId) {
    db.write(c -> update(c, "UPDATE runs SET cancel_requested = 1 WHERE id = ?", runId));
  }

  @Override
  public List<String> cancelRequested(String node) {
    return db.read(
        c ->
            query(
                c,
                "SELECT id FROM runs WHERE owner = ? AND cancel_requested = 1 AND " + LIVE,
                row -> row.getString("id"),
                node));
  }

  private Optional<Run> one(String where, Object... params) {
    return db.read(
        c ->
            queryOne(
                c, "SELECT " + COLUMNS + " FROM runs WHERE " + where, SqlRunStore::run, params));
  }

  private List<Run> many(String where, Object... params) {
    return db.read(
        c ->
            query(
                c,
                "SELECT " + COLUMNS + " FROM runs WHERE " + where + " ORDER BY created_at, id",
                SqlRunStore::run,
                params));
  }

  private static Run run(ResultSet row) throws SQLException {
    return new Run(
        row.getString("id"),
        row.getString("chat_id"),
        row.getString("account_id"),
        row.getString("message_id"),
        row.getBoolean("continues_message"),
        row.getString("model"),
        row.getInt("headless") == 1,
        RunStatus.fromWire(row.getString("status")),
        row.getString("error"),
        instant(row, "created_at"),
        instant(row, "started_at"),
        instant(row, "completed_at"),
        row.getString("trace_parent"));
  }
}
