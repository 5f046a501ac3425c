package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.auth.Principal;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatStore;
import dev.reprise.protocol.Json;
import dev.reprise.run.Run;
import dev.reprise.run.RunService;
import dev.reprise.run.RunStore;
import dev.reprise.stream.StreamLog;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reading and deleting the caller's chats. */
final class ChatsRoutes implements HttpService {
  private static final int MAX_TITLE = 200;
  private static final int DELETE_ATTEMPTS = 3;

  private final Authenticator auth;
  private final HttpJson http;
  private final ChatAccess access;
  private final ChatStore chats;
  private final RunStore runs;
  private final RunService runService;
  private final StreamLog log;
  private final Json json;
  private final Clock clock;

  ChatsRoutes(
      Authenticator auth,
      HttpJson http,
      ChatAccess access,
      ChatStore chats,
      RunStore runs,
      RunService runService,
      StreamLog log,
      Clock clock) {
    this.auth = auth;
    this.http = http;
    this.access = access;
    this.chats = chats;
    this.runs = runs;
    this.runService = runService;
    this.log = log;
    this.json = http.json();
    this.clock = clock;
  }

  /** A chat as the API shows it. */
  record Summary(
      String id,
      String title,
      String model,
      Instant createdAt,
      Instant updatedAt,
      boolean isStreaming,
      String activeRunId) {

    static Summary of(Chat chat, Optional<Run> live) {
      return new Summary(
          chat.id(),
          chat.title(),
          chat.model(),
          chat.createdAt(),
          chat.updatedAt(),
          live.isPresent(),
          live.map(Run::id).orElse(null));
    }
  }

  record ChatList(List<Summary> chats) {}

  record ChatDetail(Summary chat, List<JsonNode> messages, boolean isStreaming) {}

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
    Map<String, Run> live =
        runs.findLiveByAccount(caller.accountId()).stream()
            .collect(Collectors.toMap(Run::chatId, r -> r, (a, b) -> a));
    List<Summary> summaries =
        chats.listByAccount(caller.accountId()).stream()
            .map(chat -> Summary.of(chat, Optional.ofNullable(live.get(chat.id()))))
            .toList();
    http.send(res, 200, new ChatList(summaries));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    Chat chat = owned(req, caller);
    Optional<Run> live = runs.findLive(chat.id());
    List<JsonNode> messages =
        chats.messages(chat.id()).stream().map(m -> json.tree(m.body())).toList();
    http.send(res, 200, new ChatDetail(Summary.of(chat, live), messages, live.isPresent()));
  }

  /** Renames the chat and/or changes the model its next turns use. */
  private void edit(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    Chat chat = owned(req, caller);
    ObjectNode body = http.readObject(req);
    Optional<String> title = Params.optionalString(body, "title").map(String::strip);
    Optional<String> model = Params.optionalString(body, "model").map(String::strip);
    if (title.isEmpty() && model.isEmpty()) {
      throw ApiException.badRequest("Give a title or a model (or both)", "title", "model");
    }
    if (title.isPresent() && (title.get().isEmpty() || title.get().length() > MAX_TITLE)) {
      throw ApiException.badRequest("title must be 1 to " + MAX_TITLE + " characters", "title");
    }
    if (model.isPresent()) {
      access.model(model, null);
    }
    chats.edit(chat.id(), title, model, clock.instant());
    Chat edited = chats.find(chat.id()).orElseThrow(() -> ApiException.notFound("Chat not found"));
    http.send(res, 200, Map.of("chat", Summary.of(edited, runs.findLive(chat.id()))));
  }

  /**
   * Stops a live run first (its readers get abort and finish), then deletes the chat and its logs.
   */
  private void delete(ServerRequest req, ServerResponse res) throws InterruptedException {
    Principal caller = auth.authenticate(req);
    Chat chat = owned(req, caller);
    // why: a turn may start a new run between the stop and the delete; the delete refuses while a
    // run is live, so stop again, a few times, before answering 409.
    for (int attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      Optional<Run> live = runs.findLive(chat.id());
      if (live.isPresent()) {
        runService.stop(live.get().id());
      }
      Optional<List<String>> deleted = chats.deleteIfIdle(chat.id());
      if (deleted.isPresent()) {
        deleted.get().forEach(log::delete);
        http.send(res, 200, Map.of("success", true));
        return;
      }
    }
    throw ApiException.conflict("A run for this chat started while it was being deleted; retry");
  }

  private Chat owned(ServerRequest req, Principal caller) {
    String chatId = Params.chatId(req.path().pathParameters().get("chatId"), "chatId");
    return access.ownedChat(chatId, caller);
  }
}
