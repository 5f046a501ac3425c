package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.auth.Principal;
import dev.reprise.config.LimitsConfig;
import dev.reprise.conversation.Conversations;
import dev.reprise.conversation.Conversations.Started;
import dev.reprise.conversation.TurnRequest;
import dev.reprise.run.Ids;
import dev.reprise.run.Run;
import dev.reprise.run.RunStatus;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Headless runs: start one without streaming it, then ask how it is doing. */
final class RunRoutes implements HttpService {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Authenticator auth;
  private final HttpJson http;
  private final Conversations conversations;
  private final LimitsConfig limits;

  RunRoutes(Authenticator auth, HttpJson http, Conversations conversations, LimitsConfig limits) {
    this.auth = auth;
    this.http = http;
    this.conversations = conversations;
    this.limits = limits;
  }

  /** The 202 body of POST /api/chat/runs. */
  record Accepted(String runId, String chatId) {}

  /** The body of GET /api/chat/runs/{runId}; absent times are left out. */
  record Status(
      String runId,
      String chatId,
      RunStatus status,
      Instant createdAt,
      Instant startedAt,
      Instant completedAt,
      Long durationMs,
      String error) {

    static Status of(Run run) {
      Long duration =
          run.startedAt() != null && run.completedAt() != null
              ? Duration.between(run.startedAt(), run.completedAt()).toMillis()
              : null;
      return new Status(
          run.id(),
          run.chatId(),
          run.status(),
          run.createdAt(),
          run.startedAt(),
          run.completedAt(),
          duration,
          run.status() == RunStatus.FAILED ? run.error() : null);
    }
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .post("/api/chat/runs", this::start)
        .get("/api/chat/runs/{runId}", this::status)
        .head("/api/chat/runs/{runId}", this::status);
  }

  private void start(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    ObjectNode body = http.readObject(req);
    List<ObjectNode> messages = messages(body, limits);
    String chatId =
        Params.optionalString(body, "chatId")
            .map(id -> Params.chatId(id, "chatId"))
            .orElseGet(() -> UUID.randomUUID().toString());
    TurnRequest turn =
        new TurnRequest(
            caller.accountId(),
            chatId,
            List.<JsonNode>copyOf(messages),
            Messages.firstUserText(messages),
            Params.optionalString(body, "model"),
            Optional.empty(),
            true);
    Started started = Refusals.orThrow(conversations.startTurn(turn));
    Run run = started.run();
    res.header(HeaderNames.LOCATION, "/api/chat/runs/" + run.id());
    http.send(res, 202, new Accepted(run.id(), started.chat().id()));
  }

  /**
   * Exactly one of {@code prompt} (a string) or {@code messages} (UIMessages, the last one the
   * user's).
   */
  private static List<ObjectNode> messages(ObjectNode body, LimitsConfig limits) {
    JsonNode prompt = body.get("prompt");
    JsonNode messages = body.get("messages");
    boolean hasPrompt = prompt != null && !prompt.isNull();
    boolean hasMessages = messages != null && !messages.isNull();
    if (hasPrompt == hasMessages) {
      throw ApiException.badRequest(
          "Exactly one of prompt or messages must be provided", "prompt", "messages");
    }
    if (hasPrompt) {
      if (!prompt.isTextual() || prompt.asText().isBlank()) {
        throw ApiException.badRequest("prompt must be a non-empty string", "prompt");
      }
      Messages.checkPrompt(prompt.asText(), limits);
      ObjectNode message = NODES.objectNode();
      message.put("id", UUID.randomUUID().toString());
      message.put("role", "user");
      message
          .putArray("parts")
          .addObject()
          .put("type", "text")
          .put("text", prompt.asText().strip());
      return List.of(message);
    }
    List<ObjectNode> list = Messages.list(body, "messages", limits);
    if (!Messages.role(list.getLast()).equals("user")) {
      throw ApiException.badRequest("The last message must be a user message", "messages");
    }
    return list;
  }

  private void status(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    String runId = req.path().pathParameters().get("runId");
    if (!Ids.isRunId(runId)) {
      throw ApiException.notFound("Run not found");
    }
    http.send(res, 200, Status.of(Refusals.orThrow(conversations.run(caller.accountId(), runId))));
  }
}
