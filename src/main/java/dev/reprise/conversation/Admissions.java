package dev.reprise.conversation;

import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatService;
import dev.reprise.run.Admission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** How the use cases read the run store's answers: a refused admission, an unowned chat. */
final class Admissions {
  // why: a live run ends when it ends; a client told to come back in a few seconds rarely waits
  // long.
  private static final Duration LIVE_RUN_RETRY = Duration.ofSeconds(5);

  private final Clock clock;

  Admissions(Clock clock) {
    this.clock = clock;
  }

  /** The account's chat; another account's is refused as such, a missing one as not found. */
  static Outcome<Chat> owned(ChatService chats, String accountId, String chatId) {
    Optional<Chat> chat = chats.find(chatId);
    if (chat.isEmpty()) {
      return Outcome.refused(new Refusal.ChatNotFound());
    }
    return chat.get().accountId().equals(accountId)
        ? Outcome.done(chat.get())
        : Outcome.refused(new Refusal.NotYourChat());
  }

  /** Why the admission let nothing in; empty when it did (or kept answers). */
  Optional<Refusal> refusal(Admission admission) {
    return switch (admission) {
      case Admission.Admitted admitted -> Optional.empty();
      case Admission.ChatBusy busy -> Optional.of(new Refusal.ChatBusy());
      case Admission.ChatGone gone -> Optional.of(new Refusal.ChatNotFound());
      case Admission.TooManyLive(int limit) ->
          Optional.of(
              new Refusal.TooManyRuns(
                  "Too many runs in progress for this account (at most " + limit + ")",
                  LIVE_RUN_RETRY));
      case Admission.NoSuchWait(String id) -> Optional.of(new Refusal.NoSuchToolCall(id));
      case Admission.AlreadyAnswered(String id) -> Optional.of(new Refusal.AlreadyAnswered(id));
      case Admission.WrongAnswer(String id) -> Optional.of(new Refusal.WrongAnswer(id));
      case Admission.Unanswered(List<String> ids) -> Optional.of(new Refusal.Unanswered(ids));
      case Admission.StillWaiting waiting -> Optional.empty();
      case Admission.TooFrequent(int limit, Instant retryAt) ->
          Optional.of(
              new Refusal.TooManyRuns(
                  "Too many runs started in the last minute (at most " + limit + ")",
                  Duration.between(clock.instant(), retryAt)));
    };
  }
}
