package dev.reprise.conversation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.approval.ToolWait;
import dev.reprise.approval.ToolWaitStore;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatService;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.model.ModelRegistry;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.ToolParts;
import dev.reprise.run.Admission;
import dev.reprise.run.Run;
import dev.reprise.run.RunService;
import dev.reprise.run.RunStore;
import dev.reprise.run.Turn;
import dev.reprise.stream.StreamLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The chat use cases behind the API: start a turn or a headless run, find the run to resume, stop
 * it, read, edit and delete chats. Knows no HTTP: each answer is an {@link Outcome}, and a refusal
 * says why without having written anything.
 */
public final class Conversations {
  // why: a live run ends when it ends; a client told to come back in a few seconds rarely waits
  // long.
  private static final Duration LIVE_RUN_RETRY = Duration.ofSeconds(5);
  private static final int DELETE_ATTEMPTS = 3;
  private static final String STOPPED = "The chat was stopped before this was answered.";
  private final Json json = new Json();

  private final ChatService chats;
  private final ChatStore chatStore;
  private final RunService runService;
  private final RunStore runs;
  private final ToolWaitStore waits;
  private final StreamLog log;
  private final ModelRegistry models;
  private final Clock clock;

  public Conversations(
      ChatService chats,
      ChatStore chatStore,
      RunService runService,
      RunStore runs,
      ToolWaitStore waits,
      StreamLog log,
      ModelRegistry models,
      Clock clock) {
    this.chats = chats;
    this.chatStore = chatStore;
    this.runService = runService;
    this.runs = runs;
    this.waits = waits;
    this.log = log;
    this.models = models;
    this.clock = clock;
  }

  /** A chat with its live run, if any, and whether it waits for the user to answer a tool call. */
  public record ChatState(Chat chat, Optional<Run> live, boolean waiting) {}

  /**
   * A chat with its live run, its stored messages, the runs that answered them, and the tool calls
   * that wait for the user.
   */
  public record ChatTranscript(
      ChatState state, List<StoredMessage> messages, List<Run> runs, List<ToolWait> waiting) {}

  /** What became of answers to tool calls. */
  public sealed interface Answered {
    /** A run continues the message with them. */
    record Continued(Chat chat, Run run) implements Answered {}

    /** They were kept; the message still waits on these calls before it goes on. */
    record Waiting(List<ToolWait> waiting) implements Answered {}
  }

  /** A turn that was admitted: its chat and its (queued) run. */
  public record Started(Chat chat, Run run) {}

  /** Opens (or creates) the chat and queues a run that answers it, with the turn's messages. */
  public Outcome<Started> startTurn(TurnRequest request) {
    String chosen;
    switch (model(request.model())) {
      case Outcome.Refused<String>(Refusal why) -> {
        return Outcome.refused(why);
      }
      case Outcome.Done<String>(String id) -> chosen = id;
    }
    // why: limits are checked before anything is written, so a refused request changes nothing.
    Optional<Refusal> overQuota = refusal(runService.checkQuota(request.accountId()));
    if (overQuota.isPresent()) {
      return Outcome.refused(overQuota.get());
    }
    Optional<Chat> opened =
        chats.openOrCreate(request.chatId(), request.accountId(), chosen, request.firstUserText());
    if (opened.isEmpty()) {
      return Outcome.refused(new Refusal.NotYourChat());
    }
    Chat chat = opened.get();
    if (runs.findLive(chat.id()).isPresent()) {
      return Outcome.refused(new Refusal.ChatBusy());
    }
    Run run =
        runService.newRun(
            chat.id(),
            request.accountId(),
            request.model().isPresent() ? chosen : chat.model(),
            request.headless());
    Turn turn =
        new Turn(
            request.messages().stream().map(chats::stored).toList(), request.regenerateAfter());
    Optional<Refusal> refused = refusal(runService.start(run, turn));
    return refused.isPresent()
        ? Outcome.refused(refused.get())
        : Outcome.done(new Started(chat, run));
  }

  /**
   * Answers tool calls of the chat's assistant message {@code messageId} the AI SDK way (the client
   * re-sends the message with its approval responses or tool outputs): every call that waits in it
   * must be answered. The first answer to a call wins, from any tab or node; the run that continues
   * the message is admitted in the same step.
   */
  public Outcome<Answered> answer(
      String accountId, String chatId, String messageId, List<ToolAnswer> answers) {
    if (owned(accountId, chatId) instanceof Outcome.Refused<Chat>(Refusal why)) {
      return Outcome.refused(why);
    }
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
    switch (owned(accountId, chatId)) {
      case Outcome.Refused<Chat>(Refusal why) -> {
        return Outcome.refused(why);
      }
      case Outcome.Done<Chat> done -> {}
    }
    Optional<ToolWait> wait = waits.find(chatId, id);
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
    switch (owned(accountId, chatId)) {
      case Outcome.Refused<Chat>(Refusal why) -> {
        return Outcome.refused(why);
      }
      case Outcome.Done<Chat>(Chat found) -> chat = found;
    }
    Run run = runService.newRun(chat.id(), accountId, chat.model(), headless, messageId);
    Admission admission = runService.start(run, Turn.answering(messageId, answers, all));
    return switch (admission) {
      case Admission.Admitted admitted -> Outcome.done(new Answered.Continued(chat, run));
      case Admission.StillWaiting waiting ->
          Outcome.done(new Answered.Waiting(waits.pending(chat.id())));
      default -> Outcome.refused(refusal(admission).orElseThrow());
    };
  }

  /** The model to use: the requested one if offered, the default when none is requested. */
  public Outcome<String> model(Optional<String> requested) {
    if (requested.isEmpty() || requested.get().isBlank()) {
      return Outcome.done(models.defaultModel());
    }
    String id = requested.get().strip();
    return models.find(id).isPresent()
        ? Outcome.done(id)
        : Outcome.refused(new Refusal.UnknownModel(id, models.ids()));
  }

  /**
   * The run a reader of the chat should follow: its live run, or, when the reader names a start
   * index (a reconnect that must end at {@code finish}), its latest run even if it has ended.
   */
  public Outcome<Optional<Run>> resumeChat(String accountId, String chatId, boolean fromIndex) {
    return owned(accountId, chatId)
        .map(chat -> fromIndex ? runs.findLiveOrLatest(chat.id()) : runs.findLive(chat.id()));
  }

  /** The same for a run named by its id, which is how WorkflowChatTransport reconnects. */
  public Outcome<Optional<Run>> resumeRun(String accountId, String runId, boolean fromIndex) {
    return run(accountId, runId)
        .map(run -> run.status().isLive() || fromIndex ? Optional.of(run) : Optional.empty());
  }

  /**
   * Stops the chat: cancels the tool calls that wait for the user (their parts end denied or
   * cancelled), then stops its live run, if it has one; true if there was anything to stop. Of a
   * stop and an answer that race, the answer either wins the call (and its run is stopped here) or
   * gets 409.
   */
  public Outcome<Boolean> stop(String accountId, String chatId) throws InterruptedException {
    switch (owned(accountId, chatId)) {
      case Outcome.Refused<Chat>(Refusal why) -> {
        return Outcome.refused(why);
      }
      case Outcome.Done<Chat>(Chat chat) -> {
        boolean cancelled = cancelWaits(chat);
        Optional<Run> live = runs.findLive(chat.id());
        return Outcome.done(live.isPresent() && runService.stop(live.get().id()) || cancelled);
      }
    }
  }

  private boolean cancelWaits(Chat chat) {
    List<ToolWait> cancelled = waits.cancelPending(chat.id(), clock.instant());
    Map<String, List<ToolWait>> byMessage =
        cancelled.stream().collect(Collectors.groupingBy(ToolWait::messageId));
    for (StoredMessage message : chatStore.messages(chat.id())) {
      List<ToolWait> ofMessage = byMessage.get(message.id());
      if (ofMessage != null) {
        ObjectNode ended =
            ToolParts.cancelled(
                json.tree(message.body()),
                ofMessage.stream().map(ToolWait::toolCallId).toList(),
                STOPPED);
        chatStore.upsert(
            chat.id(),
            new StoredMessage(message.id(), message.role(), json.write(ended)),
            clock.instant());
      }
    }
    return !cancelled.isEmpty();
  }

  /**
   * Stops a live run first (its readers get abort and finish), then deletes the chat, its messages,
   * its runs and their logs.
   */
  public Outcome<Chat> delete(String accountId, String chatId) throws InterruptedException {
    Chat chat;
    switch (owned(accountId, chatId)) {
      case Outcome.Refused<Chat>(Refusal why) -> {
        return Outcome.refused(why);
      }
      case Outcome.Done<Chat>(Chat found) -> chat = found;
    }
    // why: a turn may start a new run between the stop and the delete; the delete refuses while a
    // run is live, so stop again, a few times, before giving up.
    for (int attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      Optional<Run> live = runs.findLive(chat.id());
      if (live.isPresent()) {
        runService.stop(live.get().id());
      }
      Optional<List<String>> deleted = chatStore.deleteIfIdle(chat.id());
      if (deleted.isPresent()) {
        deleted.get().forEach(log::delete);
        return Outcome.done(chat);
      }
    }
    return Outcome.refused(new Refusal.DeleteRaced());
  }

  /** The account's chats, most recently updated first, each with its live run. */
  public List<ChatState> list(String accountId) {
    Map<String, Run> live =
        runs.findLiveByAccount(accountId).stream()
            .collect(Collectors.toMap(Run::chatId, r -> r, (a, b) -> a));
    Set<String> waiting = waits.waitingChats(accountId);
    return chatStore.listByAccount(accountId).stream()
        .map(
            chat ->
                new ChatState(
                    chat, Optional.ofNullable(live.get(chat.id())), waiting.contains(chat.id())))
        .toList();
  }

  public Outcome<ChatTranscript> transcript(String accountId, String chatId) {
    return owned(accountId, chatId)
        .map(
            chat -> {
              List<ToolWait> waiting = waits.pending(chat.id());
              return new ChatTranscript(
                  new ChatState(chat, runs.findLive(chat.id()), !waiting.isEmpty()),
                  chatStore.messages(chat.id()),
                  runs.findByChat(chat.id()),
                  waiting);
            });
  }

  /** Renames the chat and/or changes the model its next turns use. */
  public Outcome<ChatState> edit(
      String accountId, String chatId, Optional<String> title, Optional<String> model) {
    Optional<Refusal> refused =
        switch (owned(accountId, chatId)) {
          case Outcome.Refused<Chat>(Refusal why) -> Optional.of(why);
          case Outcome.Done<Chat> done when model.isPresent() ->
              model(model) instanceof Outcome.Refused<String>(Refusal why)
                  ? Optional.of(why)
                  : Optional.empty();
          case Outcome.Done<Chat> done -> Optional.empty();
        };
    if (refused.isPresent()) {
      return Outcome.refused(refused.get());
    }
    chatStore.edit(chatId, title, model.map(String::strip), clock.instant());
    return owned(accountId, chatId)
        .map(c -> new ChatState(c, runs.findLive(c.id()), !waits.pending(c.id()).isEmpty()));
  }

  /** A run of the account's; another account's run is reported as unknown, not as forbidden. */
  public Outcome<Run> run(String accountId, String runId) {
    return runs.find(runId)
        .filter(run -> run.accountId().equals(accountId))
        .<Outcome<Run>>map(Outcome::done)
        .orElseGet(() -> Outcome.refused(new Refusal.RunNotFound()));
  }

  private Outcome<Chat> owned(String accountId, String chatId) {
    Optional<Chat> chat = chats.find(chatId);
    if (chat.isEmpty()) {
      return Outcome.refused(new Refusal.ChatNotFound());
    }
    return chat.get().accountId().equals(accountId)
        ? Outcome.done(chat.get())
        : Outcome.refused(new Refusal.NotYourChat());
  }

  private Optional<Refusal> refusal(Admission admission) {
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
