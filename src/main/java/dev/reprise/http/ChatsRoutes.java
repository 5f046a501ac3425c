package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.approval.ToolWait;
import dev.reprise.auth.Principal;
import dev.reprise.chat.Chat;
import dev.reprise.conversation.Conversations;
import dev.reprise.conversation.Conversations.ChatState;
import dev.reprise.conversation.Conversations.ChatTranscript;
import dev.reprise.protocol.Json;
import dev.reprise.run.Run;
import dev.reprise.run.RunStatus;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading and deleting the caller's chats. */
final class ChatsRoutes implements HttpService {
  private static final int MAX_TITLE = 200;

  private final Authenticator auth;
  private final HttpJson http;
  private final Conversations conversations;
  private final Json json;

  ChatsRoutes(Authenticator auth, HttpJson http, Conversations conversations) {
    this.auth = auth;
    this.http = http;
    this.conversations = conversations;
    this.json = http.json();
  }

  /** A chat as the API shows it. */
  record Summary(
      String id,
      String title,
      String model,
      Instant createdAt,
      Instant updatedAt,
      boolean isStreaming,
      String activeRunId,
      boolean isWaiting) {

    static Summary of(ChatState state) {
      Chat chat = state.chat();
      Optional<Run> live = state.live();
      return new Summary(
          chat.id(),
          chat.title(),
          chat.model(),
          chat.createdAt(),
          chat.updatedAt(),
          live.isPresent(),
          live.map(Run::id).orElse(null),
          state.waiting());
    }
  }

  /**
   * A tool call that waits for the user: an approval ({@code id} is the approval id) or a
   * client-side tool ({@code id} is its tool call id).
   */
  record Waiting(
      String id,
      String kind,
      String messageId,
      String toolCallId,
      String toolName,
      JsonNode input,
      Instant since) {
    static Waiting of(ToolWait wait) {
      return new Waiting(
          wait.id(),
          wait.kind().wire(),
          wait.messageId(),
          wait.toolCallId(),
          wait.toolName(),
          wait.input(),
          wait.createdAt());
    }
  }

  record ChatList(List<Summary> chats) {}

  /**
   * How the run that wrote an assistant message ended: the message itself keeps only what the AI
   * SDK keeps, not whether it was stopped or failed.
   */
  record Answer(String messageId, String runId, RunStatus status, String error) {
    static Answer of(Run run) {
      return new Answer(
          run.messageId(),
          run.id(),
          run.status(),
          run.status() == RunStatus.FAILED ? run.error() : null);
    }
  }

  record ChatDetail(
      Summary chat,
      List<JsonNode> messages,
      List<Answer> answers,
      List<Waiting> waiting,
      boolean isStreaming) {}

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/api/chats", this::list)
        .head("/api/chats", this::list)
        .get("/api/chats/{chatId}", this::get)
        .head("/api/chats/{chatId}", this::get)
        .patch("/api/chats/{chatId}", this::edit)
        .delete("/api/chats/{chatId}", this::delete);
  }

  private void list(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    List<Summary> summaries =
        conversations.list(caller.accountId()).stream().map(Summary::of).toList();
    http.send(res, 200, new ChatList(summaries));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    ChatTranscript transcript =
        Refusals.orThrow(conversations.transcript(caller.accountId(), chatId(req)));
    List<JsonNode> messages = transcript.messages().stream().map(m -> json.tree(m.body())).toList();
    Summary summary = Summary.of(transcript.state());
    List<Answer> answers = transcript.runs().stream().map(Answer::of).toList();
    List<Waiting> waiting = transcript.waiting().stream().map(Waiting::of).toList();
    http.send(res, 200, new ChatDetail(summary, messages, answers, waiting, summary.isStreaming()));
  }

  /** Renames the chat and/or changes the model its next turns use. */
  private void edit(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    String chatId = chatId(req);
    ObjectNode body = http.readObject(req);
    Optional<String> title = Params.optionalString(body, "title").map(String::strip);
    Optional<String> model = Params.optionalString(body, "model").map(String::strip);
    if (title.isEmpty() && model.isEmpty()) {
      throw ApiException.badRequest("Give a title or a model (or both)", "title", "model");
    }
    if (title.isPresent() && (title.get().isEmpty() || title.get().length() > MAX_TITLE)) {
      throw ApiException.badRequest("title must be 1 to " + MAX_TITLE + " characters", "title");
    }
    ChatState edited =
        Refusals.orThrow(conversations.edit(caller.accountId(), chatId, title, model));
    http.send(res, 200, Map.of("chat", Summary.of(edited)));
  }

  /** Stops a live run first (its readers get abort and finish), then deletes the chat. */
  private void delete(ServerRequest req, ServerResponse res) throws InterruptedException {
    Principal caller = auth.authenticate(req);
    Refusals.orThrow(conversations.delete(caller.accountId(), chatId(req)));
    http.send(res, 200, Map.of("success", true));
  }

  private static String chatId(ServerRequest req) {
    return Params.chatId(req.path().pathParameters().get("chatId"), "chatId");
  }
}
