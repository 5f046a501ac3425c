package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.approval.ToolWait;
import dev.reprise.auth.Principal;
import dev.reprise.chat.Chat;
import dev.reprise.config.LimitsConfig;
import dev.reprise.conversation.Conversations;
import dev.reprise.conversation.Conversations.Started;
import dev.reprise.conversation.ToolCallAnswers.Answered;
import dev.reprise.conversation.TurnRequest;
import dev.reprise.limit.ReaderLimiter;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.run.Ids;
import dev.reprise.run.Run;
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
  private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

  private final Authenticator auth;
  private final HttpJson http;
  private final Conversations conversations;
  private final StreamResponder streams;
  private final LimitsConfig limits;
  private final ReaderSlots readers;
  private final StreamMetrics metrics;
  private final Optional<DsPointers> pointers;
  private final SetupGate setup;

  ChatRoutes(
      Authenticator auth,
      HttpJson http,
      Conversations conversations,
      StreamResponder streams,
      LimitsConfig limits,
      ReaderSlots readers,
      StreamMetrics metrics,
      Optional<DsPointers> pointers,
      SetupGate setup) {
    this.auth = auth;
    this.http = http;
    this.conversations = conversations;
    this.streams = streams;
    this.limits = limits;
    this.readers = readers;
    this.metrics = metrics;
    this.pointers = pointers;
    this.setup = setup;
  }

  /** The pointer maker when the request asks for the run's Durable Stream, and it is served. */
  private Optional<DsPointers> pointing(ServerRequest req) {
    return DsPointers.asked(req) ? pointers : Optional.empty();
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/api/chat", this::startTurn)
        .get("/api/chat/{chatId}/stream", this::resume)
        .head("/api/chat/{chatId}/stream", this::resume)
        .post("/api/chat/{chatId}/stop", this::stop)
        .post("/api/chat/{chatId}/approvals/{approvalId}", this::approve);
  }

  private void startTurn(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    ObjectNode body = http.readObject(req);
    String chatId = requestedChatId(body);
    List<ObjectNode> messages = Messages.list(body, "messages", limits);
    ObjectNode last = messages.getLast();
    if (Messages.role(last).equals("assistant")) {
      answerToolCalls(caller, chatId, last, messages.size() - 1, req, res);
      return;
    }
    if (!Messages.role(last).equals("user")) {
      throw ApiException.badRequest(
          "The last message must be a user message, or an assistant message that answers its"
              + " tool calls",
          "messages");
    }
    String trigger = Params.optionalString(body, "trigger").orElse("submit-message");
    if (!trigger.equals("submit-message") && !trigger.equals("regenerate-message")) {
      throw ApiException.badRequest(
          "trigger must be submit-message or regenerate-message", "trigger");
    }
    Optional<String> model = Params.optionalString(body, "model");
    Refusals.orThrow(conversations.model(model));
    TurnRequest turn =
        new TurnRequest(
            caller.accountId(),
            chatId,
            List.<JsonNode>of(last),
            Messages.firstUserText(messages),
            model,
            trigger.equals("regenerate-message")
                ? Optional.of(last.path("id").asText())
                : Optional.empty(),
            false);
    Optional<DsPointers> pointer = pointing(req);
    if (pointer.isPresent()) {
      Started started = Refusals.orThrow(conversations.startTurn(turn));
      pointer.get().point(http, res, 201, started.run());
      return;
    }
    // why: the reader slot is taken before anything is written, so a refused request changes
    // nothing.
    try (ReaderLimiter.Lease slot = readers.take(caller)) {
      Started started = Refusals.orThrow(conversations.startTurn(turn));
      metrics.reading(
          () -> streams.respond(res, started.run().id(), 0, CHAT_ID_HEADER, started.chat().id()));
    }
  }

  /**
   * The AI SDK's way to answer tool calls: the client sends the assistant message back with its
   * approval responses or tool outputs, and the answer goes on in that same message.
   */
  private void answerToolCalls(
      Principal caller,
      String chatId,
      ObjectNode message,
      int index,
      ServerRequest req,
      ServerResponse res) {
    String path = "messages[" + index + "]";
    List<ToolAnswer> answers = ToolAnswerParts.of(message, path);
    if (answers.isEmpty()) {
      throw ApiException.badRequest(
          "The last message must be a user message, or an assistant message that answers its"
              + " tool calls (approval responses or tool outputs)",
          "messages");
    }
    try (ReaderLimiter.Lease slot = readers.take(caller)) {
      Answered answered =
          Refusals.orThrow(
              conversations
                  .answers()
                  .answer(caller.accountId(), chatId, message.path("id").asText(), answers));
      Optional<DsPointers> pointer = pointing(req);
      switch (answered) {
        case Answered.Continued(Chat chat, Run run) when pointer.isPresent() ->
            pointer.get().point(http, res, 201, run);
        case Answered.Continued(Chat chat, Run run) ->
            metrics.reading(() -> streams.respond(res, run.id(), 0, CHAT_ID_HEADER, chat.id()));
        case Answered.Waiting waiting ->
            throw ApiException.badRequest(
                "Every tool call that waits in the message must be answered", path);
      }
    }
  }

  /** A headless yes or no to one approval; the answer goes on as a run anyone can watch. */
  private void approve(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    String chatId = Params.chatId(req.path().pathParameters().get("chatId"), "chatId");
    String approvalId = req.path().pathParameters().get("approvalId");
    ObjectNode body = http.readObject(req);
    JsonNode approved = body.get("approved");
    if (approved == null || !approved.isBoolean()) {
      throw ApiException.badRequest("approved must be true or false", "approved");
    }
    Optional<String> reason =
        Optional.ofNullable(ToolAnswerParts.reason(body.get("reason"), "body"));
    Answered answered =
        Refusals.orThrow(
            conversations
                .answers()
                .answerOne(caller.accountId(), chatId, approvalId, approved.asBoolean(), reason));
    switch (answered) {
      case Answered.Continued(Chat chat, Run run) -> {
        res.header(HeaderNames.LOCATION, "/api/chat/runs/" + run.id());
        http.send(res, 202, new ApprovalAccepted(chat.id(), "continued", run.id(), null));
      }
      case Answered.Waiting(List<ToolWait> waiting) ->
          http.send(
              res,
              202,
              new ApprovalAccepted(
                  chatId, "waiting", null, waiting.stream().map(ToolWait::id).toList()));
    }
  }

  /** The 202 body of a headless answer: the run that goes on, or the calls still waiting. */
  record ApprovalAccepted(String chatId, String status, String runId, List<String> waiting) {}

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

  private void resume(ServerRequest req, ServerResponse res) {
    try {
      resumeOrNot(req, res);
    } catch (ApiException e) {
      metrics.resumed(StreamMetrics.Resume.REFUSED);
      throw e;
    }
  }

  private void resumeOrNot(ServerRequest req, ServerResponse res) {
    try (SetupGate.Pass pass = setup.enter()) {
      Principal caller = auth.authenticate(req);
      String id = req.path().pathParameters().get("chatId");
      OptionalLong startIndex = startIndex(req);
      Optional<Run> target =
          Refusals.orThrow(
              Ids.isRunId(id)
                  ? conversations.resumeRun(caller.accountId(), id, startIndex.isPresent())
                  : conversations.resumeChat(
                      caller.accountId(), Params.chatId(id, "chatId"), startIndex.isPresent()));
      if (target.isEmpty()) {
        metrics.resumed(StreamMetrics.Resume.NOTHING);
        res.status(Status.NO_CONTENT_204).send();
        return;
      }
      Run run = target.get();
      Optional<DsPointers> pointer = pointing(req);
      if (pointer.isPresent()) {
        metrics.resumed(
            run.status().isLive() ? StreamMetrics.Resume.LIVE : StreamMetrics.Resume.REPLAY);
        pointer.get().point(http, res, 200, run);
        return;
      }
      try (ReaderLimiter.Lease slot = readers.take(caller)) {
        metrics.resumed(
            run.status().isLive() ? StreamMetrics.Resume.LIVE : StreamMetrics.Resume.REPLAY);
        // why: a reader with no index replays from the start; ai 7's default transport then
        // starts the message afresh, so a run that continues a message replays the message first.
        List<String> prelude =
            startIndex.isPresent()
                ? List.of()
                : conversations.replayPrefix(run).stream().map(http.json()::write).toList();
        pass.release();
        metrics.reading(
            () ->
                streams.respond(
                    res, run.id(), startIndex.orElse(0), prelude, CHAT_ID_HEADER, run.chatId()));
      }
    }
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
    boolean stopped = Refusals.orThrow(conversations.stop(caller.accountId(), chatId));
    http.send(res, 200, Map.of("success", true, "stopped", stopped));
  }
}
