package dev.reprise.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.auth.Account;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.model.ModelRegistry;
import dev.reprise.model.OfflineModel;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.UiChunk;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sql.SqlToolWaitStore;
import dev.reprise.storage.sqlite.SqliteDatabase;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's life on a real (temporary) SQLite store, without HTTP: started, stopped, cancelled while
 * queued, recovered after its node died, ended by a drain. Every path ends the same way: the
 * stream's last chunk is {@code finish}, the log is closed, the assistant message is stored with
 * what the stream said, and the run is terminal.
 */
class RunLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String LONG_TEXT = "word ".repeat(400).strip();

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  private final Clock clock = Clock.systemUTC();
  private final Json json = new Json();
  private SqlRunStore runs;
  private ChatStore chats;
  private StreamLog log;
  private StreamHub hub;
  private RunService service;
  private SqlToolWaitStore waits;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private RunRecovery recovery;
  private String accountId;

  @BeforeEach
  void open() {
    SqliteDatabase db = sqlite.database(dir);
    runs = new SqlRunStore(db);
    chats = new SqlChatStore(db);
    log = new SqlStreamLog(db);
    hub = new StreamHub(clock, Duration.ofMinutes(1));
    ModelRegistry models =
        new ModelRegistry(List.of(new OfflineModel(clock, Duration.ofMillis(5))), OfflineModel.ID);
    RunSettings settings =
        new RunSettings(
            "node-a",
            4,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            Duration.ofMillis(100),
            new RunQuota(100, 1000),
            Coalescing.ADAPTIVE);
    waits = new SqlToolWaitStore(db, json);
    RunStores stores = new RunStores(runs, chats, waits);
    RunTelemetry metrics = new RunTelemetry(meters);
    service =
        new RunService(stores, log, hub, models, json, clock, new Ids(clock), settings, metrics);
    recovery = new RunRecovery(stores, log, hub, json, clock, metrics);
    Account account = new SqlAccountStore(db).findOrCreate("alice", clock.instant());
    accountId = account.id();
  }

  @AfterEach
  void close() throws InterruptedException {
    service.drain(Duration.ofSeconds(5));
  }

  private Run admitted(String text) {
    Chat chat =
        new Chat(
            UUID.randomUUID().toString(),
            accountId,
            "t",
            "offline",
            clock.instant(),
            clock.instant());
    chats.create(chat);
    Run run = service.newRun(chat.id(), accountId, OfflineModel.ID, false);
    String user =
        "{\"id\":\"u-"
            + run.id()
            + "\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\""
            + text
            + "\"}]}";
    Turn turn =
        new Turn(List.of(new StoredMessage("u-" + run.id(), "user", user)), Optional.empty());
    assertThat(service.start(run, turn)).isEqualTo(new Admission.Admitted());
    return run;
  }

  private List<UiChunk> chunks(Run run) {
    return log.read(run.id(), 0, 100_000).stream().map(LogEntry::data).map(json::chunk).toList();
  }

  private RunStatus status(Run run) {
    return runs.find(run.id()).orElseThrow().status();
  }

  private void awaitEnded(Run run) {
    await().atMost(WAIT).until(() -> !status(run).isLive());
  }

  /** The stored assistant message, as JSON text. */
  private String storedAnswer(Run run) {
    return chats.messages(run.chatId()).stream()
        .filter(m -> m.id().equals(run.messageId()))
        .findFirst()
        .orElseThrow()
        .body();
  }

  private void assertEndedWith(Run run, RunStatus status, Class<?>... lastChunks) {
    assertThat(status(run)).isEqualTo(status);
    List<UiChunk> chunks = chunks(run);
    assertThat(chunks.getFirst()).isEqualTo(new UiChunk.Start(run.messageId()));
    List<UiChunk> tail = chunks.subList(chunks.size() - lastChunks.length, chunks.size());
    for (int i = 0; i < lastChunks.length; i++) {
      assertThat(tail.get(i)).isInstanceOf(lastChunks[i]);
    }
    assertThat(log.info(run.id()).orElseThrow().closed()).as("log closed").isTrue();
    assertThat(storedAnswer(run)).contains(run.messageId());
  }

  @Test
  void a_started_run_answers_and_ends_completed_with_its_message_stored() {
    Run run = admitted("hello there");
    assertThat(service.claimAndLaunch()).isTrue();
    awaitEnded(run);
    assertEndedWith(run, RunStatus.COMPLETED, UiChunk.Finish.class);
    assertThat(storedAnswer(run)).contains("hello there");
    assertThat(meters.get("reprise.runs.started").tag("kind", "turn").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("reprise.runs.ended").tag("status", "completed").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("reprise.run.duration").tag("status", "completed").timer().count())
        .isEqualTo(1);
    assertThat(meters.get("reprise.run.first.content").timer().count()).isEqualTo(1);
    assertThat(meters.get("reprise.runs.running").gauge().value()).isZero();
  }

  @Test
  void a_stopped_run_ends_with_abort_and_finish_and_keeps_its_partial_answer()
      throws InterruptedException {
    Run run = admitted(LONG_TEXT);
    service.claimAndLaunch();
    await().atMost(WAIT).until(() -> chunks(run).size() > 20);
    assertThat(service.stop(run.id())).isTrue();
    assertEndedWith(run, RunStatus.CANCELLED, UiChunk.Abort.class, UiChunk.Finish.class);
    assertThat(chunks(run).size()).isLessThan(400);
  }

  @Test
  void a_run_cancelled_while_queued_is_start_abort_finish() throws InterruptedException {
    Run run = admitted("never answered");
    assertThat(service.stop(run.id())).isTrue();
    assertEndedWith(run, RunStatus.CANCELLED, UiChunk.Abort.class, UiChunk.Finish.class);
    assertThat(chunks(run)).hasSize(3);
  }

  @Test
  void a_run_whose_node_died_mid_answer_is_finalized_failed_with_what_it_had_written() {
    Run run = admitted("cut off");
    claimForDeadNode(run);
    StreamWriter writer = new StreamWriter(log, hub.open(run.id()), clock, 0);
    writer.append(json.write(new UiChunk.Start(run.messageId())), false);
    writer.append(json.write(new UiChunk.TextStart("text-1")), false);
    writer.append(json.write(new UiChunk.TextDelta("text-1", "kept words")), false);

    recovery.recover(runs.find(run.id()).orElseThrow());

    assertEndedWith(
        run, RunStatus.FAILED, UiChunk.TextEnd.class, UiChunk.Error.class, UiChunk.Finish.class);
    assertThat(storedAnswer(run)).contains("kept words");
    assertThat(hub.find(run.id()).orElseThrow().closed()).isTrue();
  }

  @Test
  void a_run_whose_node_died_after_finish_only_gets_its_bookkeeping() {
    Run run = admitted("done already");
    claimForDeadNode(run);
    StreamWriter writer = new StreamWriter(log, hub.open(run.id()), clock, 0);
    writer.append(json.write(new UiChunk.Start(run.messageId())), false);
    writer.append(json.write(new UiChunk.Finish(dev.reprise.protocol.FinishReason.STOP)), true);

    recovery.recover(runs.find(run.id()).orElseThrow());

    assertEndedWith(run, RunStatus.COMPLETED, UiChunk.Start.class, UiChunk.Finish.class);
  }

  @Test
  void a_run_whose_node_died_before_writing_is_queued_again() {
    Run run = admitted("not yet begun");
    claimForDeadNode(run);
    recovery.recover(runs.find(run.id()).orElseThrow());
    assertThat(status(run)).isEqualTo(RunStatus.QUEUED);
    assertThat(meters.get("reprise.runs.recovered").tag("outcome", "requeued").counter().count())
        .isEqualTo(1);
    assertThat(meters.get("reprise.runs.queued").gauge().value()).isEqualTo(1);
  }

  @Test
  void a_drain_ends_a_running_run_as_failed_with_error_and_finish() throws InterruptedException {
    Run run = admitted(LONG_TEXT);
    service.claimAndLaunch();
    await().atMost(WAIT).until(() -> chunks(run).size() > 5);
    service.drain(Duration.ZERO);
    awaitEnded(run);
    assertEndedWith(run, RunStatus.FAILED, UiChunk.Error.class, UiChunk.Finish.class);
    assertThat(runs.find(run.id()).orElseThrow().error()).isEqualTo(RunExecution.SHUTDOWN_ERROR);
  }

  private void claimForDeadNode(Run run) {
    assertThat(runs.claim(run.id(), "node-dead", clock.instant(), clock.instant().plusSeconds(10)))
        .isTrue();
  }

  /** A run that asked for approval and ended; its chat waits. */
  private Run askedForApproval() {
    Run asked = admitted("please approve");
    service.claimAndLaunch();
    awaitEnded(asked);
    assertThat(waits.pending(asked.chatId())).hasSize(1);
    return asked;
  }

  private Run continuing(Run asked, boolean approved) {
    String approvalId = waits.pending(asked.chatId()).getFirst().id();
    String callId = waits.pending(asked.chatId()).getFirst().toolCallId();
    Run next =
        service.continuingRun(asked.chatId(), accountId, OfflineModel.ID, false, asked.messageId());
    Turn answer =
        Turn.answering(
            asked.messageId(),
            List.of(new ToolAnswer.Approval(approvalId, callId, approved, null)),
            true);
    assertThat(service.start(next, answer)).isEqualTo(new Admission.Admitted());
    return next;
  }

  @Test
  void an_answer_that_asks_for_approval_completes_and_leaves_its_call_waiting() {
    Run asked = askedForApproval();
    assertEndedWith(asked, RunStatus.COMPLETED, UiChunk.FinishStep.class, UiChunk.Finish.class);
    assertThat(chunks(asked)).anyMatch(c -> c instanceof UiChunk.ToolApprovalRequest);
    assertThat(storedAnswer(asked)).contains("\"state\":\"approval-requested\"");
  }

  @Test
  void a_continuation_writes_the_same_message_with_the_tool_output_and_the_rest() {
    Run asked = askedForApproval();
    Run next = continuing(asked, true);
    service.claimAndLaunch();
    awaitEnded(next);

    assertEndedWith(next, RunStatus.COMPLETED, UiChunk.Finish.class);
    assertThat(chunks(next).get(1)).isInstanceOf(UiChunk.ToolOutputAvailable.class);
    assertThat(chats.messages(asked.chatId())).hasSize(2);
    assertThat(storedAnswer(next))
        .contains("\"state\":\"output-available\"")
        .contains("\"approved\":true")
        .contains("Thank you. I checked the clock");
  }

  @Test
  void a_continuation_recovered_after_its_node_died_rebuilds_the_same_message_once() {
    Run asked = askedForApproval();
    String before = storedAnswer(asked);
    Run next = continuing(asked, false);
    claimForDeadNode(next);
    StreamWriter writer = new StreamWriter(log, hub.open(next.id()), clock, 0);
    writer.append(json.write(new UiChunk.Start(next.messageId())), false);
    String callId = waits.answeredBy(next.id()).getFirst().toolCallId();
    writer.append(json.write(new UiChunk.ToolOutputDenied(callId)), false);

    recovery.recover(runs.find(next.id()).orElseThrow());
    String once = storedAnswer(next);
    recovery.recover(runs.find(next.id()).orElseThrow());

    assertThat(status(next)).isEqualTo(RunStatus.FAILED);
    assertThat(storedAnswer(next)).isEqualTo(once);
    assertThat(once).contains("\"state\":\"output-denied\"");
    int parts = json.tree(before).path("parts").size();
    assertThat(json.tree(once).path("parts").size()).isEqualTo(parts);
  }
}
