package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.ServerExtension;
import dev.reprise.testing.SseEvents;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Headless runs: POST /api/chat/runs and GET /api/chat/runs/{runId}. */
class RunApiTest {
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(Map.of("REPRISE_OFFLINE_DELAY_MS", "5"));

  private static ApiClient client;
  private static String key;

  @BeforeAll
  static void signIn() {
    client = SERVER.client();
    key = SERVER.newKey("carol");
  }

  private static HttpResponse<String> startRun(String body) {
    return client.post("/api/chat/runs", body, "x-api-key", key);
  }

  private static JsonNode awaitTerminal(String runId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body()),
            s -> List.of("completed", "failed", "cancelled").contains(s.path("status").asText()));
  }

  @Test
  void a_prompt_starts_a_run_that_can_be_watched_and_completes() {
    HttpResponse<String> res = startRun("{\"prompt\":\"headless hello\"}");
    assertThat(res.statusCode()).isEqualTo(202);
    CONTRACT.check("POST", "/api/chat/runs", res);
    JsonNode accepted = parse(res.body());
    String runId = accepted.path("runId").asText();
    String chatId = accepted.path("chatId").asText();
    assertThat(res.headers().firstValue("location")).hasValue("/api/chat/runs/" + runId);

    HttpResponse<String> watched =
        client.get("/api/chat/" + chatId + "/stream?startIndex=0", "x-api-key", key);
    List<String> chunks = SseEvents.chunks(watched.body());
    assertThat(types(chunks).getFirst()).isEqualTo("start");
    assertThat(types(chunks).getLast()).isEqualTo("finish");
    assertThat(Bodies.text(chunks)).contains("headless hello");

    JsonNode status = awaitTerminal(runId);
    HttpResponse<String> statusResponse = client.get("/api/chat/runs/" + runId, "x-api-key", key);
    CONTRACT.check("GET", "/api/chat/runs/{runId}", statusResponse);
    assertThat(status.path("status").asText()).isEqualTo("completed");
    assertThat(status.path("chatId").asText()).isEqualTo(chatId);
    Instant started = Instant.parse(status.path("startedAt").asText());
    Instant completed = Instant.parse(status.path("completedAt").asText());
    assertThat(status.path("durationMs").asLong())
        .isEqualTo(Duration.between(started, completed).toMillis());
    assertThat(status.has("error")).isFalse();
  }

  @Test
  void messages_continue_an_existing_chat() {
    String chatId = newChatId();
    client.post("/api/chat", chatTurn(chatId, "first turn"), "x-api-key", key);
    String body =
        "{\"chatId\":\""
            + chatId
            + "\",\"messages\":["
            + Bodies.userMessage("m2", "second turn")
            + "]}";
    HttpResponse<String> res = startRun(body);
    assertThat(res.statusCode()).isEqualTo(202);
    awaitTerminal(parse(res.body()).path("runId").asText());
    JsonNode messages =
        parse(client.get("/api/chats/" + chatId, "x-api-key", key).body()).path("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(3).path("parts").toString()).contains("second turn");
  }

  @Test
  void exactly_one_of_prompt_or_messages_is_required() {
    for (String body :
        List.of(
            "{}",
            "{\"prompt\":\"a\",\"messages\":[" + Bodies.userMessage("x", "y") + "]}",
            "{\"prompt\":\"   \"}",
            "{\"prompt\":7}",
            "{\"messages\":[]}",
            "{\"prompt\":\"a\",\"chatId\":\"nope\"}",
            "{\"prompt\":\"a\",\"model\":\"unknown/model\"}")) {
      HttpResponse<String> res = startRun(body);
      assertThat(res.statusCode()).as(body).isEqualTo(400);
      CONTRACT.check("POST", "/api/chat/runs", res);
      assertThat(parse(res.body()).path("missing_fields")).as(body).isNotEmpty();
    }
  }

  @Test
  void unknown_and_malformed_run_ids_are_404() {
    for (String id : List.of("wrun_01ARZ3NDEKTSV4RRFFQ69G5FAV", "nope", "wrun_lowercase")) {
      HttpResponse<String> res = client.get("/api/chat/runs/" + id, "x-api-key", key);
      assertThat(res.statusCode()).as(id).isEqualTo(404);
      CONTRACT.check("GET", "/api/chat/runs/{runId}", res);
    }
  }
}
