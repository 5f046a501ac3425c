package dev.reprise.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.auth.Principal;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatService;
import dev.reprise.config.LimitsConfig;
import dev.reprise.limit.ReaderLimiter;
import dev.reprise.run.ChatBusyException;
import dev.reprise.run.ChatGoneException;
import dev.reprise.run.Ids;
import dev.reprise.run.Run;
import dev.reprise.run.RunLimitException;
import dev.reprise.run.RunService;
import dev.reprise.run.RunStore;
import dev.reprise.run.Turn;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** The interactive chat endpoints: start a turn, resume its stream, stop it. */
final class ChatRoutes implements HttpService {
  static final String CHAT_ID_HEADER = "x-reprise-chat-id";
  static final String BUSY =
      "A response is already streaming for this chat; reconnect with GET /api/chat/{chatId}/stream";
  private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

  private final Authenticator auth;
  private final HttpJson http;
  private final ChatAccess access;
  private final ChatService chats;
  private final RunService runService;
  private final RunStore runs;
  private final StreamResponder streams;
  private final LimitsConfig limits;
  private final ReaderSlots readers;

  ChatRoutes(
      Authenticator auth,
      HttpJson http,
      ChatAccess access,
      ChatService chats,
      RunService runService,
      RunStore runs,
      StreamResponder streams,
      LimitsConfig limits,
      ReaderSlots readers) {
    this.auth = auth;
    this.http = http;
    this.access = access;
    this.chats = chats;
    this.runService = runService;
    this.runs = runs;
    this.streams = streams;
    this.limits = limits;
    this.readers = readers;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/api/chat", this::startTurn)
        .get("/api/chat/{chatId}/stream", this::resume)
        .head("/api/chat/{chatId}/stream", this::resume)
        .post("/api/chat/{chatId}/stop", this::stop);
  }

  private void startTurn(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    ObjectNode body = http.readObject(req);
    String chatId = requestedChatId(body);
    List<ObjectNode> messages = Messages.list(body, "messages", limits);
    ObjectNode last = messages.getLast();
    if (!Messages.role(last).equals("user")) {
      throw ApiException.badRequest("The last message must be a user message", "messages");
    }
    String trigger = Params.optionalString(body, "trigger").orElse("submit-message");
    if (!trigger.equals("submit-message") && !trigger.equals("regenerate-message")) {
      throw ApiException.badRequest(
          "trigger must be submit-message or regenerate-message", "trigger");
    }
    Optional<String> requestedModel = Params.optionalString(body, "model");
    String model = access.model(requestedModel, null);
    // why: limits are checked before anything is written, so a refused request changes nothing.
    checkQuota(caller);
    try (ReaderLimiter.Lease slot = readers.take(caller)) {
      Chat chat = openChat(chatId, caller, model, Messages.firstUserText(messages));
      String runModel = requestedModel.isPresent() ? model : chat.model();
      if (access.hasLiveRun(chat.id())) {
        throw ApiException.conflict(BUSY);
      }
      Turn turn =
          new Turn(
              List.of(chats.stored(last)),
              trigger.equals("regenerate-message")
                  ? Optional.of(last.path("id").asText())
                  : Optional.empty());
      Run run = startRun(chat, caller, runModel, turn);
      streams.respond(res, run.id(), 0, CHAT_ID_HEADER, chat.id());
    }
  }

  private void checkQuota(Principal caller) {
    try {
      runService.checkQuota(caller.accountId());
    } catch (RunLimitException e) {
      throw ApiException.tooManyRequests(e.getMessage(), e.retryAfter());
    }
  }

  private String requestedChatId(ObjectNode body) {
    Optional<String> id = Params.optionalString(body, "id");
    if (id.isPresent()) {
      return Params.chatId(id.get(), "id");
    }
    Optional<String> chatId = Params.optionalString(body, "chatId");
    return chatId.isPresent()
        ? Params.chatId(chatId.get(), "chatId")
        : UUID.randomUUID().toString();
  }

  private Chat openChat(String chatId, Principal caller, String model, String firstText) {
    try {
      return chats.openOrCreate(chatId, caller.accountId(), model, firstText);
    } catch (ChatService.NotOwnerException e) {
      throw ApiException.forbidden();
    }
  }

  private Run startRun(Chat chat, Principal caller, String model, Turn turn) {
    try {
      return runService.start(chat.id(), caller.accountId(), model, false, turn);
    } catch (ChatBusyException e) {
      throw ApiException.conflict(BUSY);
    } catch (ChatGoneException e) {
      throw ApiException.notFound("Chat not found");
    } catch (RunLimitException e) {
      throw ApiException.tooManyRequests(e.getMessage(), e.retryAfter());
    }
  }

  private void resume(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    String id = req.path().pathParameters().get("chatId");
    OptionalLong startIndex = startIndex(req);
    Optional<Run> target = resumeTarget(id, caller, startIndex.isPresent());
    if (target.isEmpty()) {
      res.status(Status.NO_CONTENT_204).send();
      return;
    }
    Run run = target.get();
    try (ReaderLimiter.Lease slot = readers.take(caller)) {
      streams.respond(res, run.id(), startIndex.orElse(0), CHAT_ID_HEADER, run.chatId());
    }
  }

  /**
   * The run to stream: the chat's live run, or, when the client names a start index (a reconnect
   * that must end at {@code finish}), its latest run even if it has finished. {@code id} may also
   * be a run id, which is how WorkflowChatTransport reconnects.
   */
  private Optional<Run> resumeTarget(String id, Principal caller, boolean hasStartIndex) {
    if (Ids.isRunId(id)) {
      Run run = access.ownedRun(id, caller);
      return run.status().isLive() || hasStartIndex ? Optional.of(run) : Optional.empty();
    }
    Chat chat = access.ownedChat(Params.chatId(id, "chatId"), caller);
    return hasStartIndex ? runs.findLiveOrLatest(chat.id()) : runs.findLive(chat.id());
  }

  private static OptionalLong startIndex(ServerRequest req) {
    Optional<String> query = req.query().first("startIndex").asOptional();
    if (query.isPresent()) {
      return OptionalLong.of(Params.startIndex(query.get(), "startIndex"));
    }
    Optional<String> lastEventId = req.headers().first(LAST_EVENT_ID);
    if (lastEventId.isPresent()) {
      long last = Params.startIndex(lastEventId.get(), "Last-Event-ID");
      if (last < 0) {
        throw ApiException.badRequest("Last-Event-ID must be a chunk index", "Last-Event-ID");
      }
      // why: the index after Long.MAX_VALUE is past any end; last + 1 would wrap to "from the
      // tail".
      return OptionalLong.of(last == Long.MAX_VALUE ? last : last + 1);
    }
    return OptionalLong.empty();
  }

  private void stop(ServerRequest req, ServerResponse res) throws InterruptedException {
    Principal caller = auth.authenticate(req);
    String chatId = Params.chatId(req.path().pathParameters().get("chatId"), "chatId");
    Chat chat = access.ownedChat(chatId, caller);
    Optional<Run> live = runs.findLive(chat.id());
    boolean stopped = live.isPresent() && runService.stop(live.get().id());
    http.send(res, 200, Map.of("success", true, "stopped", stopped));
  }
}
