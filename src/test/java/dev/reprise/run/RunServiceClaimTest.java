package dev.reprise.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ChunkSink;
import dev.reprise.model.ModelRegistry;
import dev.reprise.model.ModelRequest;
import dev.reprise.protocol.FinishReason;
import dev.reprise.protocol.Json;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sql.SqlRunStore;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sql.SqlToolWaitStore;
import dev.reprise.storage.sqlite.SqliteDatabase;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.stream.StreamHub;
import dev.reprise.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher's claim: one batch of queued runs for the free slots, then a launch of each. */
class RunServiceClaimTest {
  private static final String MODEL = "waits-for-stop";

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");
  private final List<Integer> claimMaxes = new CopyOnWriteArrayList<>();
  private volatile Runnable afterClaim = () -> {};
  private volatile Consumer<String> beforeBaseMessage = runId -> {};
  private final List<String> baseMessagesRead = new CopyOnWriteArrayList<>();
  private volatile boolean claimsContinueMessages;
  private RunStore store;
  private ChatStore chats;
  private String accountId;
  private RunService service;

  /** A model that answers nothing until its run is stopped, so that its run holds its slot. */
  private static final class WaitsForStop implements ChatModel {
    @Override
    public String id() {
      return MODEL;
    }

    @Override
    public FinishReason respond(ModelRequest request, ChunkSink sink, Cancellation cancellation)
        throws CancelledException {
      cancellation.sleep(Duration.ofMinutes(5));
      return FinishReason.STOP;
    }
  }

  private RunService service(int maxConcurrentRuns) {
    SqliteDatabase db = sqlite.database(dir);
    store = new SqlRunStore(db);
    chats = new SqlChatStore(db);
    accountId = new SqlAccountStore(db).findOrCreate("claims", clock.instant()).id();
    service =
        new RunService(
            new RunStores(observed(store), chats, new SqlToolWaitStore(db, new Json())),
            new SqlStreamLog(db),
            new StreamHub(clock, Duration.ofMinutes(1)),
            new ModelRegistry(List.of(new WaitsForStop()), MODEL),
            new Json(),
            clock,
            new Ids(clock),
            new RunSettings(
                "node-a",
                maxConcurrentRuns,
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                new RunQuota(100, 1000),
                Coalescing.ADAPTIVE),
            new RunTelemetry(new SimpleMeterRegistry()));
    return service;
  }

  /**
   * The store, noting how many runs each claim asks for, running {@link #afterClaim} once a claim
   * has returned and {@link #beforeBaseMessage} as a launch reads a run's base message; with {@link
   * #claimsContinueMessages}, the claimed runs say that they continue a message, so that a launch
   * asks for the base message (none is found), and the test can act in the middle of a launch.
   */
  private RunStore observed(RunStore target) {
    return (RunStore)
        Proxy.newProxyInstance(
            RunStore.class.getClassLoader(),
            new Class<?>[] {RunStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("baseMessage")) {
                baseMessagesRead.add((String) args[0]);
                beforeBaseMessage.accept((String) args[0]);
              }
              try {
                Object result = method.invoke(target, args);
                if (method.getName().equals("claimNext")) {
                  claimMaxes.add((Integer) args[3]);
                  afterClaim.run();
                  if (claimsContinueMessages) {
                    return ((List<?>) result).stream().map(r -> continuing((Run) r)).toList();
                  }
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static Run continuing(Run run) {
    return new Run(
        run.id(),
        run.chatId(),
        run.accountId(),
        run.messageId(),
        true,
        run.model(),
        run.headless(),
        run.status(),
        run.error(),
        run.createdAt(),
        run.startedAt(),
        run.completedAt(),
        run.traceParent());
  }

  @AfterEach
  void stopRuns() throws InterruptedException {
    if (service != null) {
      service.drain(Duration.ZERO);
    }
  }

  /** {@code count} admitted runs, each of a new chat, one millisecond apart, oldest first. */
  private List<Run> queued(int count) {
    List<Run> queued = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      clock.advance(Duration.ofMillis(1));
      Chat chat =
          new Chat(
              UUID.randomUUID().toString(),
              accountId,
              "t",
              MODEL,
              clock.instant(),
              clock.instant());
      chats.create(chat);
      Run run = service.newRun(chat.id(), accountId, MODEL, true);
      assertThat(service.start(run, Turn.NONE)).isEqualTo(new Admission.Admitted());
      queued.add(run);
    }
    return queued;
  }

  private RunStatus status(Run run) {
    return store.find(run.id()).orElseThrow().status();
  }

  @Test
  void one_claim_launches_as_many_of_the_oldest_queued_runs_as_there_are_free_slots() {
    service(4);
    List<Run> queued = queued(6);

    assertThat(service.claimAndLaunch()).isTrue();

    assertThat(claimMaxes).containsExactly(4);
    assertThat(service.activeRuns()).isEqualTo(4);
    assertThat(queued.subList(0, 4))
        .allSatisfy(r -> assertThat(status(r)).isEqualTo(RunStatus.RUNNING));
    assertThat(queued.subList(4, 6))
        .allSatisfy(r -> assertThat(status(r)).isEqualTo(RunStatus.QUEUED));
  }

  @Test
  void a_launch_reads_a_base_message_only_for_a_run_that_continues_one() {
    service(4);
    List<Run> queued = queued(2);

    service.claimAndLaunch();
    assertThat(service.activeRuns()).isEqualTo(2);
    assertThat(baseMessagesRead).isEmpty();

    claimsContinueMessages = true;
    Run third = queued(1).getFirst();
    service.claimAndLaunch();
    assertThat(baseMessagesRead).containsExactly(third.id());
    assertThat(queued).noneMatch(r -> baseMessagesRead.contains(r.id()));
  }

  @Test
  void nothing_is_claimed_while_every_slot_is_busy() {
    service(2);
    List<Run> queued = queued(3);
    service.claimAndLaunch();

    assertThat(service.claimAndLaunch()).isFalse();

    assertThat(claimMaxes).containsExactly(2);
    assertThat(service.activeRuns()).isEqualTo(2);
    assertThat(status(queued.get(2))).isEqualTo(RunStatus.QUEUED);
  }

  @Test
  void a_claim_asks_for_no_more_runs_than_the_batch_cap_and_says_when_it_took_none() {
    service(RunService.MAX_CLAIM_BATCH * 2);

    assertThat(service.claimAndLaunch()).isFalse();

    assertThat(claimMaxes).containsExactly(RunService.MAX_CLAIM_BATCH);
  }

  @Test
  void a_drain_begun_during_the_claim_requeues_every_claimed_run_and_launches_none() {
    service(4);
    List<Run> queued = queued(3);
    afterClaim = this::drainAtOnce;

    assertThat(service.claimAndLaunch()).isFalse();

    assertThat(service.activeRuns()).isZero();
    assertThat(queued).allSatisfy(r -> assertThat(status(r)).isEqualTo(RunStatus.QUEUED));
  }

  @Test
  void a_drain_begun_while_the_claimed_runs_are_launched_requeues_those_not_yet_launched() {
    service(4);
    List<Run> queued = queued(3);
    claimsContinueMessages = true;
    beforeBaseMessage =
        runId -> {
          if (runId.equals(queued.get(1).id())) {
            drainAtOnce();
          }
        };

    assertThat(service.claimAndLaunch()).isTrue();

    assertThat(status(queued.get(0))).isEqualTo(RunStatus.FAILED);
    assertThat(status(queued.get(2))).isEqualTo(RunStatus.QUEUED);
  }

  private void drainAtOnce() {
    try {
      service.drain(Duration.ZERO);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void a_launch_that_fails_puts_the_runs_claimed_after_it_back_in_the_queue() {
    service(4);
    List<Run> queued = queued(3);
    claimsContinueMessages = true;
    beforeBaseMessage =
        runId -> {
          if (runId.equals(queued.get(1).id())) {
            throw new IllegalStateException("storage failed");
          }
        };

    assertThatThrownBy(service::claimAndLaunch).hasMessage("storage failed");

    assertThat(service.activeRuns()).isEqualTo(1);
    assertThat(status(queued.get(0))).isEqualTo(RunStatus.RUNNING);
    assertThat(status(queued.get(2))).isEqualTo(RunStatus.QUEUED);
  }
}
