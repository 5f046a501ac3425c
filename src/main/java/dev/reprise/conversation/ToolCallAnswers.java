package dev.reprise.conversation;

import dev.reprise.approval.ToolWait;
import dev.reprise.approval.ToolWaitStore;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatService;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.run.Admission;
import dev.reprise.run.Run;
import dev.reprise.run.RunService;
import dev.reprise.run.RunStore;
import dev.reprise.run.Turn;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The use cases of tool calls that wait for the user: answer them (the AI SDK way, or one by one
 * headless) and cancel them. An answer is claimed exactly once, in the same step that admits the
 * run that continues the message, on whichever node it arrives.
 */
public final class ToolCallAnswers {

  private final ChatService chats;
  private final RunService runService;
  private final ToolWaitStore waits;
  private final RunStore runs;
  private final Admissions admissions;
  private final Clock clock;

  ToolCallAnswers(
      ChatService chats,
      RunService runService,
      ToolWaitStore waits,
      RunStore runs,
      Admissions admissions,
      Clock clock) {
    this.chats = chats;
    this.runService = runService;
    this.waits = waits;
    this.runs = runs;
    this.admissions = admissions;
    this.clock = clock;
  }

  /** What became of answers to tool calls. */
  public sealed interface Answered {
    /** A run continues the message with them. */
    record Continued(Chat chat, Run run) implements Answered {}

    /** They were kept; the message still waits on these calls before it goes on. */
    record Waiting(List<ToolWait> waiting) implements Answered {}
  }

  /**
   * Answers tool calls of the chat's assistant message {@code messageId} the AI SDK way (the client
   * re-sends the message with its approval responses or tool outputs): every call that waits in it
   * must be answered. The first answer to a call wins, from any tab or node; the run that continues
   * the message is admitted in the same step.
   */
  public Outcome<Answered> answer(
      String accountId, String chatId, String messageId, List<ToolAnswer> answers) {
    if (Admissions.owned(chats, accountId, chatId) instanceof Outcome.Refused<Chat>(Refusal why)) {
      return Outcome.refused(why);
    }
    awaitAsker(chatId, Optional.of(messageId));
    // why: the message also carries the results of tools that ran on the server; only results
    // for client-side calls are answers.
    List<ToolAnswer> relevant =
        answers.stream()
            .filter(
                a ->
                    a instanceof ToolAnswer.Approval
                        || waits
                            .find(chatId, a.toolCallId())
                            .filter(w -> w.kind() == ToolWait.Kind.CLIENT_TOOL)
                            .isPresent())
            .toList();
    if (relevant.isEmpty()) {
      List<String> pending =
          waits.pending(chatId).stream()
              .filter(w -> w.messageId().equals(messageId))
              .map(ToolWait::id)
              .toList();
      return Outcome.refused(
          pending.isEmpty()
              ? new Refusal.NoSuchToolCall(messageId)
              : new Refusal.Unanswered(pending));
    }
    return continueWith(accountId, chatId, messageId, relevant, true, false);
  }

  /**
   * Answers one tool call by its id (headless: a bot, a back office). When other calls of the same
   * message still wait, the answer is kept and the message goes on once the last is answered.
   */
  public Outcome<Answered> answerOne(
      String accountId, String chatId, String id, boolean approved, Optional<String> reason) {
    switch (Admissions.owned(chats, accountId, chatId)) {
      case Outcome.Refused<Chat>(Refusal why) -> {
        return Outcome.refused(why);
      }
      case Outcome.Done<Chat> done -> {}
    }
    Optional<ToolWait> wait = waits.find(chatId, id);
    if (wait.isEmpty()) {
      awaitAsker(chatId, Optional.empty());
      wait = waits.find(chatId, id);
    }
    if (wait.isEmpty() || wait.get().kind() != ToolWait.Kind.APPROVAL) {
      return Outcome.refused(new Refusal.NoSuchToolCall(id));
    }
    ToolAnswer answer =
        new ToolAnswer.Approval(id, wait.get().toolCallId(), approved, reason.orElse(null));
    return continueWith(accountId, chatId, wait.get().messageId(), List.of(answer), false, true);
  }

  private Outcome<Answered> continueWith(
      String accountId,
      String chatId,
      String messageId,
      List<ToolAnswer> answers,
      boolean all,
      boolean headless) {
    Chat chat;
    switch (Admissions.owned(chats, accountId, chatId)) {
      case Outcome.Refused<Chat>(Refusal why) -> {
        return Outcome.refused(why);
      }
      case Outcome.Done<Chat>(Chat found) -> chat = found;
    }
    Run run = runService.continuingRun(chat.id(), accountId, chat.model(), headless, messageId);
    Admission admission = runService.start(run, Turn.answering(messageId, answers, all));
    return switch (admission) {
      case Admission.Admitted admitted -> Outcome.done(new Answered.Continued(chat, run));
      case Admission.StillWaiting waiting ->
          Outcome.done(new Answered.Waiting(waits.pending(chat.id())));
      default -> Outcome.refused(admissions.refusal(admission).orElseThrow());
    };
  }

  /**
   * A client that answers as soon as it sees the request can be quicker than the run that asked,
   * which records what waits only after its last chunk; the answer waits for that run to end.
   */
  private void awaitAsker(String chatId, Optional<String> messageId) {
    Optional<Run> asker =
        runs.findLive(chatId).filter(r -> messageId.map(r.messageId()::equals).orElse(true));
    if (asker.isPresent()) {
      try {
        runService.awaitEnded(asker.get().id());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Cancels the chat's calls that wait for the user (a stop): their parts end as denied (an
   * approval) or failed (a client-side tool). True if there were any.
   */
  boolean cancel(Chat chat) {
    return !waits.cancelPending(chat.id(), ToolWaitStore.STOPPED, clock.instant()).isEmpty();
  }
}
