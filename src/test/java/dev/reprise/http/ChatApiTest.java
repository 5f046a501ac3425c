package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.ServerExtension;
import dev.reprise.testing.SseEvents;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /api/chat and GET /api/chat/{chatId}/stream over real HTTP, checked against openapi.yaml.
 */
class ChatApiTest {
  @RegisterExtension static final ServerExtension SERVER = ServerExtension.withDefaults();
  private static ApiClient client;
  private static String key;
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  @BeforeAll
  static void signIn() {
    client = SERVER.client();
    key = SERVER.newKey("alice");
  }

  private static HttpResponse<String> post(String chatId, String text) {
    return client.post("/api/chat", chatTurn(chatId, text), "x-api-key", key);
  }

  @Test
  void a_turn_streams_from_start_to_finish_with_indexed_events() {
    String chatId = newChatId();
    HttpResponse<String> res = post(chatId, "Hello there");

    assertThat(res.statusCode()).isEqualTo(200);
    CONTRACT.check("POST", "/api/chat", res);
    assertThat(res.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(res.headers().firstValue("x-vercel-ai-ui-message-stream")).hasValue("v1");
    assertThat(res.headers().firstValue("x-reprise-chat-id")).hasValue(chatId);
    assertThat(res.headers().firstValue("x-workflow-run-id").orElseThrow()).startsWith("wrun_");
    List<SseEvents.Event> events = SseEvents.parse(res.body());
    assertThat(events.getLast().isDone()).isTrue();
    List<SseEvents.Event> chunks = events.subList(0, events.size() - 1);
    assertThat(chunks.stream().map(e -> Long.parseLong(e.id())))
        .containsExactlyElementsOf(LongStream.range(0, chunks.size()).boxed().toList());
    List<String> types = types(chunks.stream().map(SseEvents.Event::data).toList());
    assertThat(types.getFirst()).isEqualTo("start");
    assertThat(types.getLast()).isEqualTo("finish");
    assertThat(types).contains("reasoning-start", "text-start", "text-delta", "text-end");
    assertThat(dev.reprise.testing.Bodies.text(chunks.stream().map(SseEvents.Event::data).toList()))
        .contains("Hello there");
  }

  @Test
  void json_is_accepted_as_text_plain_and_without_a_content_type() {
    String body = chatTurn(newChatId(), "plain");
    assertThat(
            client
                .post("/api/chat", body, "x-api-key", key, "content-type", "text/plain")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            client.post("/api/chat", chatTurn(newChatId(), "none"), "x-api-key", key).statusCode())
        .isEqualTo(200);
  }

  @Test
  void the_transcript_keeps_the_user_message_once_and_the_answer_under_the_start_message_id() {
    String chatId = newChatId();
    String body = chatTurn(chatId, "Remember me");
    HttpResponse<String> first = client.post("/api/chat", body, "x-api-key", key);
    String messageId = parse(SseEvents.chunks(first.body()).getFirst()).path("messageId").asText();
    client.post("/api/chat", body, "x-api-key", key);

    HttpResponse<String> chat = client.get("/api/chats/" + chatId, "x-api-key", key);
    CONTRACT.check("GET", "/api/chats/{chatId}", chat);
    JsonNode messages = parse(chat.body()).path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
    assertThat(messages.get(1).path("id").asText()).isEqualTo(messageId);
    assertThat(messages.get(1).path("parts").toString()).contains("You said: Remember me");
    assertThat(parse(chat.body()).path("chat").path("title").asText()).isEqualTo("Remember me");
  }

  @Test
  void a_post_without_an_id_starts_a_new_chat() {
    String body =
        "{\"messages\":[{\"id\":\"m1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}";
    HttpResponse<String> res = client.post("/api/chat", body, "x-api-key", key);
    assertThat(res.statusCode()).isEqualTo(200);
    String chatId = res.headers().firstValue("x-reprise-chat-id").orElseThrow();
    assertThat(client.get("/api/chats/" + chatId, "x-api-key", key).statusCode()).isEqualTo(200);
  }

  @Test
  void nothing_to_resume_is_204_and_a_finished_run_replays_from_a_start_index() {
    String chatId = newChatId();
    List<String> all = SseEvents.chunks(post(chatId, "replay me").body());

    HttpResponse<String> none = client.get("/api/chat/" + chatId + "/stream", "x-api-key", key);
    assertThat(none.statusCode()).isEqualTo(204);
    CONTRACT.check("GET", "/api/chat/{chatId}/stream", none);

    HttpResponse<String> replay =
        client.get("/api/chat/" + chatId + "/stream?startIndex=3", "x-api-key", key);
    assertThat(replay.statusCode()).isEqualTo(200);
    CONTRACT.check("GET", "/api/chat/{chatId}/stream", replay);
    assertThat(SseEvents.chunks(replay.body())).isEqualTo(all.subList(3, all.size()));
    assertThat(replay.headers().firstValue("x-workflow-stream-tail-index"))
        .hasValue(Integer.toString(all.size() - 1));

    HttpResponse<String> past =
        client.get(
            "/api/chat/" + chatId + "/stream?startIndex=" + (all.size() + 5), "x-api-key", key);
    assertThat(SseEvents.chunks(past.body())).containsExactly("{\"type\":\"finish\"}");

    // why: right after finish, the client has the whole answer (its connection dropped before
    // [DONE]); a second finish would be a duplicate without an id.
    HttpResponse<String> atEnd =
        client.get("/api/chat/" + chatId + "/stream?startIndex=" + all.size(), "x-api-key", key);
    assertThat(SseEvents.chunks(atEnd.body())).isEmpty();
    assertThat(SseEvents.parse(atEnd.body()))
        .extracting(SseEvents.Event::data)
        .containsExactly("[DONE]");
  }

  @Test
  void a_negative_start_index_counts_back_from_the_tail_and_last_event_id_resumes_after_it() {
    String chatId = newChatId();
    List<String> all = SseEvents.chunks(post(chatId, "tail").body());

    HttpResponse<String> tail =
        client.get("/api/chat/" + chatId + "/stream?startIndex=-2", "x-api-key", key);
    assertThat(SseEvents.chunks(tail.body())).isEqualTo(all.subList(all.size() - 2, all.size()));

    HttpResponse<String> afterFour =
        client.get("/api/chat/" + chatId + "/stream", "x-api-key", key, "Last-Event-ID", "4");
    assertThat(SseEvents.chunks(afterFour.body())).isEqualTo(all.subList(5, all.size()));
  }

  @Test
  void the_run_id_from_the_post_header_works_in_place_of_the_chat_id() {
    String chatId = newChatId();
    HttpResponse<String> res = post(chatId, "by run id");
    String runId = res.headers().firstValue("x-workflow-run-id").orElseThrow();
    HttpResponse<String> replay =
        client.get("/api/chat/" + runId + "/stream?startIndex=0", "x-api-key", key);
    assertThat(SseEvents.chunks(replay.body())).isEqualTo(SseEvents.chunks(res.body()));
  }

  @Test
  void bad_requests_get_a_400_envelope_naming_the_field() {
    String chatId = newChatId();
    assertBadRequest("{not json", null);
    assertBadRequest("[1,2]", null);
    assertBadRequest("{\"id\":\"" + chatId + "\"}", "messages");
    assertBadRequest("{\"id\":\"" + chatId + "\",\"messages\":[]}", "messages");
    assertBadRequest("{\"id\":\"not-a-uuid\",\"messages\":[" + user("x") + "]}", "id");
    assertBadRequest("{\"messages\":[{\"role\":\"user\",\"parts\":[]}]}", "messages[0].id");
    assertBadRequest(
        "{\"messages\":[{\"id\":\"a\",\"role\":\"robot\",\"parts\":[]}]}", "messages[0].role");
    assertBadRequest("{\"messages\":[{\"id\":\"a\",\"role\":\"user\"}]}", "messages[0].parts");
    assertBadRequest(
        "{\"messages\":[{\"id\":\"a\",\"role\":\"assistant\",\"parts\":[]}]}", "messages");
    assertBadRequest("{\"trigger\":\"dance\",\"messages\":[" + user("x") + "]}", "trigger");
    assertBadRequest("{\"model\":\"nope/never\",\"messages\":[" + user("x") + "]}", "model");
    assertBadRequest("{\"model\":42,\"messages\":[" + user("x") + "]}", "model");
    assertThat(client.get("/api/chats/" + chatId, "x-api-key", key).statusCode()).isEqualTo(404);
  }

  private static String user(String text) {
    return dev.reprise.testing.Bodies.userMessage("u-" + text, text).toString();
  }

  private static void assertBadRequest(String body, String field) {
    HttpResponse<String> res = client.post("/api/chat", body, "x-api-key", key);
    assertThat(res.statusCode()).as(body).isEqualTo(400);
    CONTRACT.check("POST", "/api/chat", res);
    JsonNode error = parse(res.body());
    assertThat(error.path("status").asText()).isEqualTo("error");
    assertThat(error.path("message").asText()).isNotBlank();
    if (field != null) {
      assertThat(error.path("missing_fields").toString()).as(body).contains("\"" + field + "\"");
    }
  }

  @Test
  void stream_and_stop_refuse_malformed_and_unknown_ids() {
    String unknown = newChatId();
    HttpResponse<String> bad = client.get("/api/chat/nope/stream", "x-api-key", key);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(parse(bad.body()).path("missing_fields").get(0).asText()).isEqualTo("chatId");
    CONTRACT.check("GET", "/api/chat/{chatId}/stream", bad);

    HttpResponse<String> badIndex =
        client.get("/api/chat/" + unknown + "/stream?startIndex=abc", "x-api-key", key);
    assertThat(badIndex.statusCode()).isEqualTo(400);
    assertThat(parse(badIndex.body()).path("missing_fields").get(0).asText())
        .isEqualTo("startIndex");

    HttpResponse<String> missing = client.get("/api/chat/" + unknown + "/stream", "x-api-key", key);
    assertThat(missing.statusCode()).isEqualTo(404);
    CONTRACT.check("GET", "/api/chat/{chatId}/stream", missing);

    assertThat(client.post("/api/chat/" + unknown + "/stop", "", "x-api-key", key).statusCode())
        .isEqualTo(404);
    assertThat(client.post("/api/chat/xyz/stop", "", "x-api-key", key).statusCode()).isEqualTo(400);
  }

  @Test
  void stop_without_a_live_run_is_a_harmless_no() {
    String chatId = newChatId();
    post(chatId, "done already");
    HttpResponse<String> res = client.post("/api/chat/" + chatId + "/stop", "", "x-api-key", key);
    assertThat(res.statusCode()).isEqualTo(200);
    CONTRACT.check("POST", "/api/chat/{chatId}/stop", res);
    assertThat(parse(res.body()).path("stopped").asBoolean()).isFalse();
  }

  @Test
  void cors_headers_are_on_every_response_and_preflight_is_answered() {
    HttpResponse<String> error = client.get("/api/chats", "x-api-key", "wrong");
    assertThat(error.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(error.headers().firstValue("access-control-expose-headers").orElseThrow())
        .contains("x-workflow-run-id", "x-workflow-stream-tail-index");
    HttpResponse<String> preflight = client.method("OPTIONS", "/api/chat", null);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-headers").orElseThrow())
        .contains("x-api-key", "Authorization");
  }

  @Test
  void unknown_paths_get_the_error_envelope_and_health_and_openapi_are_served() {
    HttpResponse<String> unknown = client.get("/api/nothing-here", "x-api-key", key);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(parse(unknown.body()).path("status").asText()).isEqualTo("error");
    HttpResponse<String> health = client.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    CONTRACT.check("GET", "/health", health);
    HttpResponse<String> openApi = client.get("/openapi.yaml");
    assertThat(openApi.body()).startsWith("openapi: 3.1");
  }
}
