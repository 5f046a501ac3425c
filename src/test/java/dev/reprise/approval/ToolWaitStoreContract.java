package dev.reprise.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.run.Admission;
import dev.reprise.run.Run;
import dev.reprise.run.RunQuota;
import dev.reprise.run.RunStatus;
import dev.reprise.run.RunStore;
import dev.reprise.run.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every backend must do with tool calls that wait for the user: record them once, list them,
 * and let exactly one answer claim each (through run admission, atomically with the run that
 * continues the message), whatever races it.
 */
public abstract class ToolWaitStoreContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final RunQuota QUOTA = new RunQuota(1000, 100_000);
  private int created;

  protected abstract ToolWaitStore waits();

  protected abstract RunStore runs();

  protected abstract ChatStore chats();

  /** A new chat of the named account (created if needed). */
  protected abstract Chat createChat(String accountName);

  /** A chat whose assistant message {@code msg} waits on the given calls (approval ids). */
  private Chat waitingOn(String... ids) {
    Chat chat = createChat("waits");
    chats().upsert(chat.id(), new StoredMessage("msg", "assistant", message()), T0);
    List<ToolWait> list = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      list.add(approval(chat, ids[i], "call_" + ids[i], T0.plusMillis(i)));
    }
    waits().record(list);
    return chat;
  }

  private static String message() {
    return "{\"id\":\"msg\",\"role\":\"assistant\",\"parts\":[]}";
  }

  private static ToolWait approval(Chat chat, String id, String callId, Instant at) {
    return new ToolWait(
        id,
        chat.id(),
        "msg",
        callId,
        "clock",
        JsonNodeFactory.instance.objectNode().put("timezone", "UTC"),
        ToolWait.Kind.APPROVAL,
        ToolWait.State.PENDING,
        Optional.empty(),
        at);
  }

  private static ToolAnswer yes(String id) {
    return new ToolAnswer.Approval(id, "call_" + id, true, null);
  }

  private Run continuation(Chat chat) {
    int n = ++created;
    return Run.continuing(
        "wrun_w" + n, chat.id(), chat.accountId(), "msg", "offline", false, T0.plusSeconds(n));
  }

  private Admission answer(Chat chat, boolean all, ToolAnswer... answers) {
    return runs().admit(continuation(chat), QUOTA, Turn.answering("msg", List.of(answers), all));
  }

  @Test
  void waits_are_recorded_once_and_listed_oldest_first() {
    Chat chat = waitingOn("a", "b");
    waits().record(List.of(approval(chat, "a", "call_other", T0.plusSeconds(9))));

    assertThat(waits().pending(chat.id())).extracting(ToolWait::id).containsExactly("a", "b");
    ToolWait a = waits().find(chat.id(), "a").orElseThrow();
    assertThat(a.toolCallId()).isEqualTo("call_a");
    assertThat(a.input().path("timezone").asText()).isEqualTo("UTC");
    assertThat(a.state()).isEqualTo(ToolWait.State.PENDING);
    assertThat(waits().find(chat.id(), "nope")).isEmpty();
    assertThat(waits().waitingChats(chat.accountId())).contains(chat.id());
  }

  @Test
  void answering_every_call_admits_the_run_that_continues_the_message_with_the_answers() {
    Chat chat = waitingOn("a", "b");
    Run run = continuation(chat);
    Admission admitted =
        runs().admit(run, QUOTA, Turn.answering("msg", List.of(yes("a"), yes("b")), true));

    assertThat(admitted).isEqualTo(new Admission.Admitted());
    assertThat(runs().find(run.id()).orElseThrow()).isEqualTo(run);
    assertThat(runs().baseMessage(run.id())).hasValue(message());
    assertThat(waits().answeredBy(run.id()))
        .extracting(w -> w.answer().orElseThrow())
        .containsExactly(yes("a"), yes("b"));
    assertThat(waits().pending(chat.id())).isEmpty();
    assertThat(waits().waitingChats(chat.accountId())).doesNotContain(chat.id());
  }

  @Test
  void the_continuing_run_reads_back_as_continuing_its_message_also_when_claimed() {
    Chat chat = waitingOn("a");
    Run run = continuation(chat);
    assertThat(runs().admit(run, QUOTA, Turn.answering("msg", List.of(yes("a")), true)))
        .isEqualTo(new Admission.Admitted());

    List<Run> claimed = runs().claimNext("node-w", T0, T0.plusSeconds(60), 10);

    assertThat(claimed).extracting(Run::id).contains(run.id());
    assertThat(claimed)
        .filteredOn(r -> r.id().equals(run.id()))
        .singleElement()
        .extracting(Run::continuesMessage)
        .isEqualTo(true);
    assertThat(claimed).filteredOn(r -> !r.id().equals(run.id())).noneMatch(Run::continuesMessage);
    assertThat(runs().findLive(chat.id()).orElseThrow().continuesMessage()).isTrue();
  }

  @Test
  void a_run_and_its_turn_that_disagree_on_continuing_a_message_are_refused_outright() {
    Chat chat = waitingOn("a");
    Run plain =
        Run.queued(
            "wrun_plain" + ++created,
            chat.id(),
            chat.accountId(),
            "msg",
            "offline",
            false,
            T0.plusSeconds(50));

    assertThatThrownBy(
            () -> runs().admit(plain, QUOTA, Turn.answering("msg", List.of(yes("a")), true)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> runs().admit(continuation(chat), QUOTA, Turn.NONE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(runs().findByChat(chat.id())).isEmpty();
    assertThat(waits().pending(chat.id())).extracting(ToolWait::id).containsExactly("a");
  }

  @Test
  void a_second_answer_is_refused_and_writes_nothing() {
    Chat chat = waitingOn("a");
    assertThat(answer(chat, true, yes("a"))).isEqualTo(new Admission.Admitted());
    runs().findLive(chat.id()).ifPresent(r -> runs().finish(r.id(), RunStatus.COMPLETED, null, T0));

    assertThat(answer(chat, true, new ToolAnswer.Approval("a", "call_a", false, "no")))
        .isEqualTo(new Admission.AlreadyAnswered("a"));
    assertThat(waits().find(chat.id(), "a").orElseThrow().answer()).hasValue(yes("a"));
    assertThat(runs().findByChat(chat.id())).hasSize(1);
  }

  @Test
  void unknown_incomplete_and_wrong_answers_are_refused_before_anything_is_written() {
    Chat chat = waitingOn("a", "b");
    assertThat(answer(chat, true, yes("zzz"))).isEqualTo(new Admission.NoSuchWait("zzz"));
    assertThat(answer(chat, true, yes("a"))).isEqualTo(new Admission.Unanswered(List.of("b")));
    assertThat(answer(chat, true, yes("a"), yes("b"), yes("a")))
        .isEqualTo(new Admission.AlreadyAnswered("a"));
    assertThat(
            answer(
                chat,
                true,
                new ToolAnswer.Output("a", JsonNodeFactory.instance.textNode("x")),
                yes("b")))
        .isEqualTo(new Admission.WrongAnswer("a"));

    assertThat(waits().pending(chat.id())).extracting(ToolWait::id).containsExactly("a", "b");
    assertThat(runs().findByChat(chat.id())).isEmpty();
  }

  @Test
  void answers_one_at_a_time_are_kept_until_the_last_admits_the_run_with_all_of_them() {
    Chat chat = waitingOn("a", "b");
    assertThat(answer(chat, false, yes("b"))).isEqualTo(new Admission.StillWaiting(List.of("a")));
    assertThat(runs().findByChat(chat.id())).isEmpty();
    assertThat(waits().pending(chat.id())).extracting(ToolWait::id).containsExactly("a");

    Run run = continuation(chat);
    assertThat(runs().admit(run, QUOTA, Turn.answering("msg", List.of(yes("a")), false)))
        .isEqualTo(new Admission.Admitted());
    assertThat(waits().answeredBy(run.id()))
        .extracting(w -> w.answer().orElseThrow())
        .containsExactlyInAnyOrder(yes("a"), yes("b"));
  }

  @Test
  void of_many_concurrent_answers_to_one_call_exactly_one_wins() throws Exception {
    Chat chat = waitingOn("a");
    int claimers = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      List<Future<Admission>> results = new ArrayList<>();
      for (int i = 0; i < claimers; i++) {
        Run run = continuation(chat);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return runs().admit(run, QUOTA, Turn.answering("msg", List.of(yes("a")), true));
                }));
      }
      start.countDown();
      List<Admission> admissions = new ArrayList<>();
      for (Future<Admission> result : results) {
        admissions.add(result.get());
      }
      assertThat(admissions).filteredOn(a -> a instanceof Admission.Admitted).hasSize(1);
      assertThat(admissions)
          .filteredOn(a -> !(a instanceof Admission.Admitted))
          .allMatch(a -> a.equals(new Admission.AlreadyAnswered("a")));
      assertThat(runs().findByChat(chat.id())).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_cancel_and_an_answer_race_and_exactly_one_wins() throws Exception {
    for (int round = 0; round < 5; round++) {
      Chat chat = waitingOn("a");
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<List<ToolWait>> cancelled =
            pool.submit(
                () -> {
                  start.await();
                  return waits().cancelPending(chat.id(), "stopped", T0);
                });
        Future<Admission> answered =
            pool.submit(
                () -> {
                  start.await();
                  return answer(chat, true, yes("a"));
                });
        start.countDown();
        boolean cancelWon = cancelled.get().size() == 1;
        boolean answerWon = answered.get() instanceof Admission.Admitted;
        assertThat(cancelWon).as("round %d: exactly one wins", round).isNotEqualTo(answerWon);
        ToolWait.State state = waits().find(chat.id(), "a").orElseThrow().state();
        assertThat(state).isEqualTo(cancelWon ? ToolWait.State.CANCELLED : ToolWait.State.ANSWERED);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void a_new_turn_instead_of_an_answer_cancels_what_waits() {
    Chat chat = waitingOn("a");
    Run fresh =
        Run.queued(
            "wrun_fresh" + ++created,
            chat.id(),
            chat.accountId(),
            "msg_new",
            "offline",
            false,
            T0.plusSeconds(100));
    assertThat(runs().admit(fresh, QUOTA, Turn.NONE)).isEqualTo(new Admission.Admitted());

    assertThat(waits().pending(chat.id())).isEmpty();
    assertThat(waits().find(chat.id(), "a").orElseThrow().state())
        .isEqualTo(ToolWait.State.CANCELLED);
  }
}
