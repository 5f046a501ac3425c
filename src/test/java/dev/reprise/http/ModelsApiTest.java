package dev.reprise.http;

import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Bodies;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.SseEvents;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real providers through the whole server: a chat turn on an OpenAI-compatible model (a local
 * server replaying recorded wire transcripts) runs a tool and answers; models are listed and chosen
 * per chat.
 */
class ModelsApiTest {
  private static final String MODEL = "openai/gpt-4.1-mini";
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  private FakeUpstream upstream;
  private RunningServer server;
  private ApiClient client;
  private String key;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    server =
        RunningServer.start(
            Map.of(
                "OPENAI_API_KEY",
                "sk-test-not-a-real-key",
                "OPENAI_BASE_URL",
                upstream.baseUrl() + "/v1",
                "REPRISE_MODELS",
                MODEL,
                "REPRISE_DEFAULT_MODEL",
                "offline"));
    client = server.client();
    key = server.newKey("models");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    upstream.close();
  }

  @Test
  void the_configured_models_are_listed_with_the_default() {
    HttpResponse<String> res = client.get("/api/models", "x-api-key", key);
    CONTRACT.check("GET", "/api/models", res);
    JsonNode body = parse(res.body());
    assertThat(body.path("defaultModel").asText()).isEqualTo("offline");
    assertThat(body.path("models").findValuesAsText("id")).contains("offline", MODEL);
  }

  @Test
  void the_bench_model_is_offered_only_when_configured() {
    HttpResponse<String> byDefault = client.get("/api/models", "x-api-key", key);
    assertThat(parse(byDefault.body()).path("models").findValuesAsText("id"))
        .doesNotContain("bench");
    String chatId = newChatId();
    HttpResponse<String> refused =
        client.post(
            "/api/chat",
            Bodies.JSON
                .createObjectNode()
                .put("id", chatId)
                .put("model", "bench")
                .set(
                    "messages",
                    Bodies.JSON.createArrayNode().add(Bodies.userMessage("u1", "chunks=1")))
                .toString(),
            "x-api-key",
            key);
    assertThat(refused.statusCode()).isEqualTo(400);

    try (RunningServer bench = RunningServer.start(Map.of("REPRISE_BENCH_MODEL", "true"))) {
      HttpResponse<String> res =
          bench.client().get("/api/models", "x-api-key", bench.newKey("bench"));
      CONTRACT.check("GET", "/api/models", res);
      assertThat(parse(res.body()).path("models").findValuesAsText("id"))
          .containsExactly("offline", "bench");
    }
  }

  @Test
  void a_turn_on_a_provider_model_calls_a_tool_and_answers_and_is_stored() {
    upstream.reply(
        new Reply.Stream("openai/tool-calls.sse"), new Reply.Stream("openai/after-tools.sse"));
    String chatId = newChatId();
    String body =
        Bodies.JSON
            .createObjectNode()
            .put("id", chatId)
            .put("model", MODEL)
            .set(
                "messages",
                Bodies.JSON
                    .createArrayNode()
                    .add(Bodies.userMessage("u1", "What time is it in Paris?")))
            .toString();

    HttpResponse<String> res = client.post("/api/chat", body, "x-api-key", key);

    CONTRACT.check("POST", "/api/chat", res);
    List<String> chunks = SseEvents.chunks(res.body());
    List<String> types = types(chunks);
    assertThat(types.getFirst()).isEqualTo("start");
    assertThat(types)
        .containsSubsequence(
            "start-step",
            "tool-input-start",
            "tool-input-delta",
            "tool-input-available",
            "tool-output-available",
            "finish-step",
            "start-step",
            "text-start",
            "text-delta",
            "text-end",
            "finish-step",
            "finish");
    assertThat(res.body()).doesNotContain("sk-test-not-a-real-key");
    String runId = res.headers().firstValue("x-workflow-run-id").orElseThrow();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body())
                    .path("status")
                    .asText(),
            "completed"::equals);
    JsonNode stored =
        parse(client.get("/api/chats/" + chatId, "x-api-key", key).body()).path("messages").get(1);
    assertThat(stored.path("parts").toString()).contains("tool-clock", "output-available");
    assertThat(upstream.requests()).hasSize(2);
  }

  @Test
  void a_chat_is_renamed_and_moved_to_another_model() {
    String chatId = newChatId();
    client.post("/api/chat", Bodies.chatTurn(chatId, "hello"), "x-api-key", key);

    HttpResponse<String> edited =
        client.method(
            "PATCH",
            "/api/chats/" + chatId,
            "{\"title\":\"Renamed\",\"model\":\"" + MODEL + "\"}",
            "x-api-key",
            key);

    assertThat(edited.statusCode()).isEqualTo(200);
    CONTRACT.check("PATCH", "/api/chats/{chatId}", edited);
    JsonNode chat = parse(edited.body()).path("chat");
    assertThat(chat.path("title").asText()).isEqualTo("Renamed");
    assertThat(chat.path("model").asText()).isEqualTo(MODEL);
    for (String bad :
        List.of("{}", "{\"model\":\"nope/none\"}", "{\"title\":\"  \"}", "{\"title\":3}")) {
      HttpResponse<String> res =
          client.method("PATCH", "/api/chats/" + chatId, bad, "x-api-key", key);
      assertThat(res.statusCode()).as(bad).isEqualTo(400);
      CONTRACT.check("PATCH", "/api/chats/{chatId}", res);
    }
  }
}
