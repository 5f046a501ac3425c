package dev.reprise.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} backend must do. Runs belong to chats, so a backend's test also says
 * how to create a chat (and its owner) in the same backend; it cleans up after itself.
 */
public abstract class RunStoreContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final String NODE = "node-a";

  protected RunStore runs;
  private int created;

  /** A run store with no runs in it, for one test. */
  protected abstract RunStore createRunStore();

  /** Creates a new chat of the named account (created if needed) in the run store's backend. */
  protected abstract Chat createChat(String accountName);

  /** The backend's chat store (deleting a chat deletes its runs too). */
  protected abstract ChatStore chats();

  private void deleteChat(String chatId) {
    assertThat(chats().deleteIfIdle(chatId)).as("delete %s", chatId).isPresent();
  }

  @BeforeEach
  void createStore() {
    runs = createRunStore();
  }

  /** A queued run of the chat, created one second after the previous one. */
  private Run newRun(Chat chat) {
    int n = ++created;
    Instant at = T0.plusSeconds(n);
    return Run.queued("wrun_" + n, chat.id(), chat.accountId(), "msg_" + n, "offline", false, at);
  }

  private Run inserted(Chat chat) {
    Run run = newRun(chat);
    assertThat(runs.insertIfChatIdle(run)).as("insert %s", run.id()).isTrue();
    return run;
  }

  private static List<String> ids(List<Run> list) {
    return list.stream().map(Run::id).toList();
  }

  private RunStatus status(Run run) {
    return runs.find(run.id()).orElseThrow().status();
  }

  @Test
  void an_inserted_run_reads_back_unchanged() {
    Chat chat = createChat("alice");
    Run run = Run.queued("wrun_1", chat.id(), chat.accountId(), "msg_1", "offline", true, T0);

    assertThat(runs.insertIfChatIdle(run)).isTrue();

    assertThat(runs.find("wrun_1")).contains(run);
    assertThat(runs.find("wrun_unknown")).isEmpty();
  }

  @Test
  void insert_if_chat_idle_refuses_a_second_live_run_for_the_same_chat() {
    Chat chat = createChat("alice");
    Run first = inserted(chat);
    Run second = newRun(chat);

    assertThat(runs.insertIfChatIdle(second)).isFalse();
    assertThat(runs.claim(first.id(), NODE, T0, T0.plusSeconds(10))).isTrue();
    assertThat(runs.insertIfChatIdle(newRun(chat))).isFalse();

    assertThat(runs.find(second.id())).isEmpty();
    assertThat(runs.findLive(chat.id())).map(Run::id).contains(first.id());
    assertThat(runs.insertIfChatIdle(newRun(createChat("alice")))).as("another chat").isTrue();
  }

  @Test
  void insert_if_chat_idle_allows_a_new_run_once_the_live_one_finished() {
    Chat chat = createChat("alice");
    Run first = inserted(chat);
    runs.finish(first.id(), RunStatus.COMPLETED, null, T0);

    Run second = newRun(chat);

    assertThat(runs.insertIfChatIdle(second)).isTrue();
    assertThat(runs.findLive(chat.id())).map(Run::id).contains(second.id());
  }

  @Test
  void of_concurrent_inserts_for_one_idle_chat_exactly_one_succeeds() throws Exception {
    Chat chat = createChat("alice");
    List<Run> candidates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      candidates.add(newRun(chat));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> attempts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(candidates.size())) {
      for (Run run : candidates) {
        attempts.add(
            pool.submit(
                () -> {
                  go.await();
                  return runs.insertIfChatIdle(run);
                }));
      }
      go.countDown();
      List<String> inserted = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        if (attempts.get(i).get(30, TimeUnit.SECONDS)) {
          inserted.add(candidates.get(i).id());
        }
      }

      assertThat(inserted).hasSize(1);
      assertThat(ids(runs.findByChat(chat.id()))).isEqualTo(inserted);
    }
  }

  @Test
  void deleting_a_chat_deletes_its_runs_once_none_is_live() {
    Chat chat = createChat("alice");
    Chat kept = createChat("alice");
    Run done = inserted(chat);
    runs.finish(done.id(), RunStatus.COMPLETED, null, T0.plusSeconds(60));
    Run live = inserted(chat);
    Run other = inserted(kept);

    assertThat(chats().deleteIfIdle(chat.id())).isEmpty();
    assertThat(runs.find(live.id())).isPresent();
    runs.finish(live.id(), RunStatus.CANCELLED, null, T0.plusSeconds(61));
    assertThat(chats().deleteIfIdle(chat.id()))
        .hasValueSatisfying(ids -> assertThat(ids).containsExactlyInAnyOrder(done.id(), live.id()));

    assertThat(runs.find(done.id())).isEmpty();
    assertThat(runs.find(live.id())).isEmpty();
    assertThat(runs.findByChat(chat.id())).isEmpty();
    assertThat(runs.findLive(kept.id())).map(Run::id).contains(other.id());
    assertThat(runs.findLiveByAccount(kept.accountId())).map(Run::id).containsExactly(other.id());
  }

  @Test
  void claim_takes_only_a_queued_run() {
    Chat chat = createChat("alice");
    Run run = inserted(chat);
    Instant startedAt = T0.plusSeconds(30);

    assertThat(runs.claim(run.id(), NODE, startedAt, startedAt.plusSeconds(10))).isTrue();
    assertThat(runs.claim(run.id(), NODE, startedAt.plusSeconds(1), startedAt.plusSeconds(11)))
        .isFalse();

    Run running = runs.find(run.id()).orElseThrow();
    assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(running.startedAt()).isEqualTo(startedAt);
    runs.finish(run.id(), RunStatus.COMPLETED, null, startedAt.plusSeconds(2));
    assertThat(runs.claim(run.id(), NODE, startedAt.plusSeconds(3), startedAt.plusSeconds(13)))
        .isFalse();
    assertThat(status(run)).isEqualTo(RunStatus.COMPLETED);
    assertThat(runs.claim("wrun_unknown", NODE, startedAt, startedAt.plusSeconds(10))).isFalse();
  }

  @Test
  void requeue_moves_only_a_running_run_back_to_queued() {
    Chat chat = createChat("alice");
    Run run = inserted(chat);

    assertThat(runs.requeue(run.id())).isFalse();
    runs.claim(run.id(), NODE, T0.plusSeconds(30), T0.plusSeconds(30).plusSeconds(10));
    assertThat(runs.requeue(run.id())).isTrue();

    Run requeued = runs.find(run.id()).orElseThrow();
    assertThat(requeued.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(requeued.startedAt()).isNull();
    runs.finish(run.id(), RunStatus.CANCELLED, null, T0.plusSeconds(40));
    assertThat(runs.requeue(run.id())).isFalse();
    assertThat(status(run)).isEqualTo(RunStatus.CANCELLED);
  }

  @Test
  void finish_ends_a_live_run_only_once() {
    Chat chat = createChat("alice");
    Run run = inserted(chat);
    runs.claim(run.id(), NODE, T0.plusSeconds(30), T0.plusSeconds(30).plusSeconds(10));
    Instant end = T0.plusSeconds(45);

    assertThat(runs.finish(run.id(), RunStatus.FAILED, "boom", end)).isTrue();
    assertThat(runs.finish(run.id(), RunStatus.COMPLETED, null, end.plusSeconds(1))).isFalse();

    Run finished = runs.find(run.id()).orElseThrow();
    assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
    assertThat(finished.error()).isEqualTo("boom");
    assertThat(finished.completedAt()).isEqualTo(end);
    assertThat(finished.startedAt()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void finish_ends_a_run_that_is_still_queued_and_frees_the_chat() {
    Chat chat = createChat("alice");
    Run run = inserted(chat);

    assertThat(runs.finish(run.id(), RunStatus.CANCELLED, null, T0.plusSeconds(5))).isTrue();

    assertThat(status(run)).isEqualTo(RunStatus.CANCELLED);
    assertThat(runs.findLive(chat.id())).isEmpty();
    assertThat(runs.findAllRunning()).isEmpty();
    assertThat(runs.findLiveByAccount(chat.accountId())).isEmpty();
  }

  @Test
  void
      find_by_chat_lists_the_chats_runs_oldest_first_and_without_a_live_run_the_latest_is_the_newest() {
    Chat chat = createChat("alice");
    Run first = inserted(chat);
    runs.finish(first.id(), RunStatus.COMPLETED, null, T0.plusSeconds(60));
    inserted(createChat("alice"));
    Run second = inserted(chat);
    runs.finish(second.id(), RunStatus.FAILED, "x", T0.plusSeconds(61));
    Run third = inserted(chat);
    runs.finish(third.id(), RunStatus.COMPLETED, null, T0.plusSeconds(62));

    assertThat(ids(runs.findByChat(chat.id())))
        .containsExactly(first.id(), second.id(), third.id());
    assertThat(runs.findLiveOrLatest(chat.id())).map(Run::id).contains(third.id());
    assertThat(runs.findLiveOrLatest(createChat("alice").id())).isEmpty();
    assertThat(runs.findByChat(createChat("alice").id())).isEmpty();
  }

  @Test
  void the_live_run_comes_before_a_finished_run_created_later_by_a_clock_that_runs_ahead() {
    Chat chat = createChat("alice");
    Run ahead = newRunAt(chat, T0.plusSeconds(3_600));
    assertThat(runs.insertIfChatIdle(ahead)).isTrue();
    runs.finish(ahead.id(), RunStatus.COMPLETED, null, T0.plusSeconds(3_601));
    Run live = newRunAt(chat, T0.plusSeconds(10));
    assertThat(runs.insertIfChatIdle(live)).isTrue();

    assertThat(runs.findLiveOrLatest(chat.id())).map(Run::id).contains(live.id());

    runs.finish(live.id(), RunStatus.COMPLETED, null, T0.plusSeconds(20));
    assertThat(runs.findLiveOrLatest(chat.id())).map(Run::id).contains(ahead.id());
  }

  @Test
  void live_runs_are_found_by_account_and_all_together() {
    Chat aliceOne = createChat("alice");
    Chat aliceTwo = createChat("alice");
    Chat bob = createChat("bob");
    Run aliceLive = inserted(aliceOne);
    Run aliceDone = inserted(aliceTwo);
    runs.finish(aliceDone.id(), RunStatus.COMPLETED, null, T0.plusSeconds(60));
    Run bobLive = inserted(bob);
    runs.claim(bobLive.id(), NODE, T0.plusSeconds(61), T0.plusSeconds(61).plusSeconds(10));

    assertThat(ids(runs.findLiveByAccount(aliceOne.accountId()))).containsExactly(aliceLive.id());
    assertThat(ids(runs.findLiveByAccount(bob.accountId()))).containsExactly(bobLive.id());
    assertThat(ids(runs.findAllRunning())).containsExactly(bobLive.id());
    assertThat(runs.findLive(aliceTwo.id())).isEmpty();
  }

  @Test
  void a_requested_cancel_is_reported_to_the_owning_node_only() {
    Chat chat = createChat("alice");
    Run mine = inserted(chat);
    runs.claim(mine.id(), NODE, T0, T0.plusSeconds(10));
    Run theirs = inserted(createChat("alice"));
    runs.claim(theirs.id(), "node-b", T0, T0.plusSeconds(10));

    assertThat(runs.cancelRequested(NODE)).isEmpty();
    runs.requestCancel(mine.id());
    runs.requestCancel(theirs.id());

    assertThat(runs.cancelRequested(NODE)).containsExactly(mine.id());
    assertThat(runs.cancelRequested("node-b")).containsExactly(theirs.id());
    runs.finish(mine.id(), RunStatus.CANCELLED, null, T0.plusSeconds(1));
    assertThat(runs.cancelRequested(NODE)).isEmpty();
  }

  @Test
  void claim_next_takes_at_most_max_of_the_oldest_queued_runs_oldest_first_owned_by_the_node() {
    Run first = newRun(createChat("alice"));
    Run second = newRun(createChat("alice"));
    Run third = newRun(createChat("alice"));
    Run fourth = newRun(createChat("alice"));
    // why: inserted out of creation order, so that only ordering by creation time passes.
    for (Run run : List.of(fourth, second, third, first)) {
      assertThat(runs.insertIfChatIdle(run)).isTrue();
    }

    List<Run> claimed = runs.claimNext(NODE, T0.plusSeconds(20), T0.plusSeconds(30), 3);

    assertThat(ids(claimed)).containsExactly(first.id(), second.id(), third.id());
    assertThat(claimed)
        .allSatisfy(
            run -> {
              assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
              assertThat(run.startedAt()).isEqualTo(T0.plusSeconds(20));
            });
    assertThat(runs.claimExpired("node-b", T0.plusSeconds(29), T0.plusSeconds(40)))
        .as("leased until the given time")
        .isEmpty();
    assertThat(runs.renewLeases(NODE, T0.plusSeconds(40)))
        .containsExactlyInAnyOrder(first.id(), second.id(), third.id());
  }

  @Test
  void claim_next_leaves_the_queued_runs_beyond_max_for_the_next_claim() {
    Run ended = inserted(createChat("alice"));
    runs.finish(ended.id(), RunStatus.COMPLETED, null, T0.plusSeconds(10));
    Run taken = inserted(createChat("alice"));
    runs.claim(taken.id(), "node-b", T0.plusSeconds(10), T0.plusSeconds(20));
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      queued.add(inserted(createChat("alice")).id());
    }

    assertThat(ids(runs.claimNext(NODE, T0.plusSeconds(20), T0.plusSeconds(30), 2)))
        .containsExactlyElementsOf(queued.subList(0, 2));

    assertThat(runs.countQueued()).isEqualTo(3);
    assertThat(queued.subList(2, 5))
        .allSatisfy(
            id -> assertThat(runs.find(id).orElseThrow().status()).isEqualTo(RunStatus.QUEUED));
    assertThat(ids(runs.claimNext(NODE, T0.plusSeconds(21), T0.plusSeconds(31), 10)))
        .containsExactlyElementsOf(queued.subList(2, 5));
    assertThat(runs.claimNext(NODE, T0.plusSeconds(22), T0.plusSeconds(32), 10)).isEmpty();
    assertThat(status(ended)).isEqualTo(RunStatus.COMPLETED);
    assertThat(runs.renewLeases("node-b", T0.plusSeconds(40))).containsExactly(taken.id());
  }

  @Test
  void claim_next_refuses_a_max_below_one() {
    inserted(createChat("alice"));

    assertThatThrownBy(() -> runs.claimNext(NODE, T0, T0.plusSeconds(10), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runs.countQueued()).isEqualTo(1);
  }

  @Test
  void of_concurrent_claims_each_run_goes_to_exactly_one_node() throws Exception {
    List<String> queued = insertedRuns(12);

    List<List<Run>> batches = claimTogether(4, 1);

    assertThat(batches.stream().flatMap(b -> ids(b).stream()))
        .containsExactlyInAnyOrderElementsOf(queued);
  }

  @Test
  void two_nodes_claiming_batches_at_once_never_share_a_run_and_together_take_all()
      throws Exception {
    List<String> queued = insertedRuns(24);

    List<List<Run>> batches = claimTogether(2, 5);

    assertThat(batches.stream().flatMap(b -> ids(b).stream()))
        .containsExactlyInAnyOrderElementsOf(queued);
    assertThat(batches)
        .allSatisfy(
            batch ->
                assertThat(batch)
                    .hasSizeLessThanOrEqualTo(5)
                    .isSortedAccordingTo(Comparator.comparing(Run::createdAt)));
  }

  /** The ids of {@code count} queued runs, each of a new chat, oldest first. */
  private List<String> insertedRuns(int count) {
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      queued.add(inserted(createChat("alice")).id());
    }
    return queued;
  }

  /**
   * Every batch that {@code nodes} nodes claimed, starting together, each claiming up to {@code
   * max} runs at a time until it gets none.
   */
  private List<List<Run>> claimTogether(int nodes, int max) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<List<Run>>>> claims = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(nodes)) {
      for (int n = 0; n < nodes; n++) {
        String node = "node-" + n;
        claims.add(
            pool.submit(
                () -> {
                  go.await();
                  return claimUntilNoneLeft(node, max);
                }));
      }
      go.countDown();
      List<List<Run>> batches = new ArrayList<>();
      for (Future<List<List<Run>>> claim : claims) {
        batches.addAll(claim.get(30, TimeUnit.SECONDS));
      }
      return batches;
    }
  }

  private List<List<Run>> claimUntilNoneLeft(String node, int max) {
    List<List<Run>> batches = new ArrayList<>();
    for (List<Run> batch = runs.claimNext(node, T0, T0.plusSeconds(10), max);
        !batch.isEmpty();
        batch = runs.claimNext(node, T0, T0.plusSeconds(10), max)) {
      batches.add(batch);
    }
    return batches;
  }

  @Test
  void leases_are_renewed_by_their_owner_and_expired_ones_are_taken_over() {
    Run mine = inserted(createChat("alice"));
    Run dead = inserted(createChat("alice"));
    runs.claim(mine.id(), NODE, T0, T0.plusSeconds(10));
    runs.claim(dead.id(), "node-dead", T0, T0.plusSeconds(10));

    assertThat(runs.renewLeases(NODE, T0.plusSeconds(25))).containsExactly(mine.id());
    List<Run> taken = runs.claimExpired("node-c", T0.plusSeconds(20), T0.plusSeconds(30));

    assertThat(ids(taken)).containsExactly(dead.id());
    assertThat(runs.renewLeases("node-dead", T0.plusSeconds(40))).isEmpty();
    assertThat(runs.renewLeases("node-c", T0.plusSeconds(40))).containsExactly(dead.id());
    assertThat(runs.claimExpired("node-d", T0.plusSeconds(21), T0.plusSeconds(31))).isEmpty();
  }

  private Run newRunAt(Chat chat, Instant at) {
    int n = ++created;
    return Run.queued("wrun_" + n, chat.id(), chat.accountId(), "msg_" + n, "offline", false, at);
  }

  @Test
  void admit_inserts_a_run_within_the_quota() {
    Chat chat = createChat("alice");
    Run run = newRun(chat);

    assertThat(runs.admit(run, new RunQuota(1, 1))).isEqualTo(new Admission.Admitted());

    assertThat(runs.find(run.id())).contains(run);
  }

  private List<String> messageIds(Chat chat) {
    return chats().messages(chat.id()).stream().map(StoredMessage::id).toList();
  }

  private static Turn turnOf(String... messageIds) {
    List<StoredMessage> messages = new ArrayList<>();
    for (String id : messageIds) {
      messages.add(new StoredMessage(id, "user", "{\"id\":\"" + id + "\"}"));
    }
    return new Turn(messages, Optional.empty());
  }

  @Test
  void admit_stores_the_turns_messages_with_the_run() {
    Chat chat = createChat("alice");

    assertThat(runs.admit(newRun(chat), new RunQuota(5, 5), turnOf("m1", "m2")))
        .isEqualTo(new Admission.Admitted());

    assertThat(messageIds(chat)).containsExactly("m1", "m2");
  }

  @Test
  void a_refused_admission_stores_none_of_the_turns_messages() {
    Chat chat = createChat("alice");
    inserted(chat);

    assertThat(runs.admit(newRun(chat), new RunQuota(5, 5), turnOf("m1")))
        .isEqualTo(new Admission.ChatBusy());
    assertThat(runs.admit(newRun(createChat("alice")), new RunQuota(1, 5), turnOf("m2")))
        .isEqualTo(new Admission.TooManyLive(1));

    assertThat(messageIds(chat)).isEmpty();
  }

  @Test
  void admit_answers_chat_gone_for_a_deleted_chat() {
    Chat chat = createChat("alice");
    deleteChat(chat.id());

    assertThat(runs.admit(newRun(chat), new RunQuota(5, 5), turnOf("m1")))
        .isEqualTo(new Admission.ChatGone());
  }

  @Test
  void admit_refuses_a_busy_chat_before_counting_the_quota() {
    Chat chat = createChat("alice");
    Run live = inserted(chat);
    Run second = newRun(chat);

    assertThat(runs.admit(second, new RunQuota(1, 1))).isEqualTo(new Admission.ChatBusy());
    assertThat(runs.find(second.id())).isEmpty();
    assertThat(runs.findLive(chat.id())).map(Run::id).contains(live.id());
  }

  @Test
  void admit_refuses_more_live_runs_than_the_quota_for_the_account_only() {
    RunQuota quota = new RunQuota(2, 100);
    Run first = newRun(createChat("alice"));
    Run second = newRun(createChat("alice"));
    Run third = newRun(createChat("alice"));
    assertThat(runs.admit(first, quota)).isEqualTo(new Admission.Admitted());
    assertThat(runs.admit(second, quota)).isEqualTo(new Admission.Admitted());

    assertThat(runs.admit(third, quota)).isEqualTo(new Admission.TooManyLive(2));
    assertThat(runs.find(third.id())).isEmpty();
    assertThat(runs.admit(newRun(createChat("bob")), quota)).isEqualTo(new Admission.Admitted());

    runs.finish(first.id(), RunStatus.COMPLETED, null, T0.plusSeconds(60));
    assertThat(runs.admit(newRun(createChat("alice")), quota)).isEqualTo(new Admission.Admitted());
  }

  @Test
  void admit_counts_runs_in_a_sliding_minute_even_once_their_chat_is_gone() {
    RunQuota quota = new RunQuota(100, 2);
    Chat one = createChat("alice");
    Run first = newRunAt(one, T0);
    Run second = newRunAt(createChat("alice"), T0.plusSeconds(10));
    assertThat(runs.admit(first, quota)).isEqualTo(new Admission.Admitted());
    assertThat(runs.admit(second, quota)).isEqualTo(new Admission.Admitted());
    runs.finish(first.id(), RunStatus.COMPLETED, null, T0.plusSeconds(1));
    deleteChat(one.id());

    Run third = newRunAt(createChat("alice"), T0.plusSeconds(30));
    assertThat(runs.admit(third, quota))
        .isEqualTo(new Admission.TooFrequent(2, T0.plusSeconds(60)));
    assertThat(runs.quotaCheck(third.accountId(), quota, T0.plusSeconds(59)))
        .isEqualTo(new Admission.TooFrequent(2, T0.plusSeconds(60)));
    assertThat(runs.quotaCheck(third.accountId(), quota, T0.plusSeconds(60)))
        .isEqualTo(new Admission.Admitted());
    assertThat(runs.admit(newRunAt(createChat("alice"), T0.plusSeconds(60)), quota))
        .isEqualTo(new Admission.Admitted());
    assertThat(runs.admit(newRunAt(createChat("bob"), T0.plusSeconds(30)), quota))
        .isEqualTo(new Admission.Admitted());
  }

  @Test
  void an_account_over_the_minute_quota_may_start_again_once_enough_admissions_leave_the_window() {
    RunQuota generous = new RunQuota(100, 5);
    String alice = "";
    for (int second : new int[] {0, 10, 20}) {
      Run run = newRunAt(createChat("alice"), T0.plusSeconds(second));
      assertThat(runs.admit(run, generous)).isEqualTo(new Admission.Admitted());
      alice = run.accountId();
    }
    RunQuota lowered = new RunQuota(100, 2);

    // why: with 3 admissions against 2, the oldest leaving is not enough; the second one must.
    assertThat(runs.quotaCheck(alice, lowered, T0.plusSeconds(30)))
        .isEqualTo(new Admission.TooFrequent(2, T0.plusSeconds(70)));
    assertThat(runs.quotaCheck(alice, lowered, T0.plusSeconds(69)))
        .isInstanceOf(Admission.TooFrequent.class);
    assertThat(runs.quotaCheck(alice, lowered, T0.plusSeconds(70)))
        .isEqualTo(new Admission.Admitted());
  }

  @Test
  void an_unlimited_quota_admits_any_number_of_runs() {
    String alice = "";
    for (int i = 0; i < 20; i++) {
      Run run = newRun(createChat("alice"));
      assertThat(runs.admit(run, RunQuota.unlimited())).isEqualTo(new Admission.Admitted());
      alice = run.accountId();
    }
    assertThat(runs.findLiveByAccount(alice)).hasSize(20);
  }

  @Test
  void quota_check_reports_live_runs_over_the_quota() {
    RunQuota quota = new RunQuota(1, 100);
    Chat chat = createChat("alice");
    assertThat(runs.quotaCheck(chat.accountId(), quota, T0)).isEqualTo(new Admission.Admitted());
    runs.admit(newRun(chat), quota);

    assertThat(runs.quotaCheck(chat.accountId(), quota, T0.plusSeconds(5)))
        .isEqualTo(new Admission.TooManyLive(1));
  }

  @Test
  void of_concurrent_admissions_for_one_account_no_more_than_the_quota_get_in() throws Exception {
    RunQuota quota = new RunQuota(3, 100);
    List<Run> candidates = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      candidates.add(newRun(createChat("alice")));
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Admission>> attempts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(candidates.size())) {
      for (Run run : candidates) {
        attempts.add(
            pool.submit(
                () -> {
                  go.await();
                  return runs.admit(run, quota);
                }));
      }
      go.countDown();
      int admitted = 0;
      for (Future<Admission> attempt : attempts) {
        Admission result = attempt.get(30, TimeUnit.SECONDS);
        assertThat(result).isIn(new Admission.Admitted(), new Admission.TooManyLive(3));
        admitted += result instanceof Admission.Admitted ? 1 : 0;
      }

      assertThat(admitted).isEqualTo(3);
      assertThat(runs.findLiveByAccount(candidates.getFirst().accountId())).hasSize(3);
    }
  }
}
