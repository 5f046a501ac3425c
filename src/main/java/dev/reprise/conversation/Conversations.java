package dev.reprise.conversation;

import dev.reprise.approval.ToolWait;
import dev.reprise.approval.ToolWaitStore;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatService;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.model.ModelRegistry;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageChunks;
import dev.reprise.protocol.UiChunk;
import dev.reprise.run.Run;
import dev.reprise.run.RunService;
import dev.reprise.run.RunStore;
import dev.reprise.run.Turn;
import dev.reprise.stream.StreamLog;
import java.time.Clock;
import java.util.ArrayList;
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
  private static final int DELETE_ATTEMPTS = 3;

  private final ChatService chats;
  private final ChatStore chatStore;
  private final RunService runService;
  private final RunStore runs;
  private final ToolWaitStore waits;
  private final StreamLog log;
  private final ModelRegistry models;
  private final Clock clock;
  private final Admissions admissions;
  private final ToolCallAnswers answers;
  private final Json json = new Json();

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
    this.admissions = new Admissions(clock);
    this.answers = new ToolCallAnswers(chats, runService, waits, runs, admissions, clock);
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
    Optional<Refusal> overQuota = admissions.refusal(runService.checkQuota(request.accountId()));
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
    Optional<Refusal> refused = admissions.refusal(runService.start(run, turn));
    return refused.isPresent()
        ? Outcome.refused(refused.get())
        : Outcome.done(new Started(chat, run));
  }

  /** The answers to tool calls that wait for the user: see {@link ToolCallAnswers}. */
  public ToolCallAnswers answers() {
    return answers;
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
    Optional<Run> run = fromIndex ? runs.findLiveOrLatest(chatId) : runs.findLive(chatId);
    // why: a live run's chat exists and is the run's account's (a chat is deleted only when idle,
    // under the lock that admits its runs), so a reconnect to a live run, the usual one, reads no
    // chat.
    if (run.isPresent() && run.get().status().isLive()) {
      return run.get().accountId().equals(accountId)
          ? Outcome.done(run)
          : Outcome.refused(new Refusal.NotYourChat());
    }
    return owned(accountId, chatId).map(chat -> run);
  }

  /** The same for a run named by its id, which is how WorkflowChatTransport reconnects. */
  public Outcome<Optional<Run>> resumeRun(String accountId, String runId, boolean fromIndex) {
    return run(accountId, runId)
        .map(run -> run.status().isLive() || fromIndex ? Optional.of(run) : Optional.empty());
  }

  /**
   * What a reader that replays {@code run} from its start needs before the run's own chunks: for a
   * run that continues a message after the user answered its tool calls, the chunks that build the
   * message as it stood (a replaying client, such as ai 7's default transport, starts the message
   * afresh at the first {@code start}); nothing for any other run.
   */
  public List<UiChunk> replayPrefix(Run run) {
    if (!run.continuesMessage()) {
      return List.of();
    }
    return runs.baseMessage(run.id())
        .map(
            base -> {
              List<UiChunk> prefix = new ArrayList<>();
              prefix.add(new UiChunk.Start(run.messageId()));
              prefix.addAll(MessageChunks.of(json.tree(base)));
              return prefix;
            })
        .orElse(List.of());
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
        boolean cancelled = answers.cancel(chat);
        Optional<Run> live = runs.findLive(chat.id());
        return Outcome.done(live.isPresent() && runService.stop(live.get().id()) || cancelled);
      }
    }
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
    return Admissions.owned(chats, accountId, chatId);
  }
}
