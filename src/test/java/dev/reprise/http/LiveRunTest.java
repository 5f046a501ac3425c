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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What happens while a run is live: resume, conflicts, stop, disconnects, failures, deletion. */
class LiveRunTest {
  private static final String LONG_TEXT = "word ".repeat(150).strip();
  private static final OpenApiContract CONTRACT = OpenApiContract.load();

  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(Map.of("REPRISE_OFFLINE_DELAY_MS", "10"));

  private static ApiClient client;
  private static String key;

  @BeforeAll
  static void signIn() {
    client = SERVER.client();
    key = SERVER.newKey("bob");
  }

  /** Opens a turn and reads events until {@code count} chunks arrived; the stream stays open. */
  private static Open openTurn(String chatId, String text, int count) {
    HttpResponse<InputStream> res =
        client.open("POST", "/api/chat", chatTurn(chatId, text), "x-api-key", key);
    assertThat(res.statusCode()).isEqualTo(200);
    SseEvents events = new SseEvents(res.body());
    List<String> seen = new ArrayList<>();
    while (seen.size() < count) {
      seen.add(events.next().data());
    }
    return new Open(res, events, seen);
  }

  private record Open(HttpResponse<InputStream> response, SseEvents events, List<String> seen) {
    String runId() {
      return response.headers().firstValue("x-workflow-run-id").orElseThrow();
    }

    List<String> readToEnd() {
      for (SseEvents.Event e = events.next(); e != null; e = events.next()) {
        if (!e.isDone()) {
          seen.add(e.data());
        }
      }
      return seen;
    }

    void disconnect() {
      try {
        response.body().close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static JsonNode runStatus(String runId) {
    return parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body());
  }

  @Test
  void a_second_post_while_a_run_is_live_is_409_and_the_live_stream_is_resumable_from_zero() {
    String chatId = newChatId();
    Open turn = openTurn(chatId, LONG_TEXT, 5);

    HttpResponse<String> conflict =
        client.post("/api/chat", chatTurn(chatId, "again"), "x-api-key", key);
    assertThat(conflict.statusCode()).isEqualTo(409);
    CONTRACT.check("POST", "/api/chat", conflict);
    assertThat(parse(conflict.body()).path("message").asText()).contains("/stream");

    HttpResponse<String> resumed = client.get("/api/chat/" + chatId + "/stream", "x-api-key", key);
    assertThat(resumed.statusCode()).isEqualTo(200);
    CONTRACT.check("GET", "/api/chat/{chatId}/stream", resumed);
    assertThat(resumed.headers().firstValue("x-workflow-run-id")).hasValue(turn.runId());
    assertThat(
            Long.parseLong(
                resumed.headers().firstValue("x-workflow-stream-tail-index").orElseThrow()))
        .isGreaterThanOrEqualTo(4);
    assertThat(SseEvents.chunks(resumed.body())).isEqualTo(turn.readToEnd());
  }

  @Test
  void a_client_going_away_never_stops_the_run() {
    String chatId = newChatId();
    Open turn = openTurn(chatId, LONG_TEXT, 3);
    turn.disconnect();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runStatus(turn.runId()).path("status").asText(), s -> s.equals("completed"));
    JsonNode messages =
        parse(client.get("/api/chats/" + chatId, "x-api-key", key).body()).path("messages");
    assertThat(messages.get(1).path("parts").toString()).contains(LONG_TEXT);
  }

  @Test
  void stop_ends_the_stream_with_abort_then_finish_and_keeps_the_partial_message() {
    String chatId = newChatId();
    Open turn = openTurn(chatId, LONG_TEXT, 12);
    String messageId = parse(turn.seen().getFirst()).path("messageId").asText();

    HttpResponse<String> stop = client.post("/api/chat/" + chatId + "/stop", "", "x-api-key", key);
    assertThat(parse(stop.body()).path("stopped").asBoolean()).isTrue();

    List<String> types = types(turn.readToEnd());
    assertThat(types.subList(types.size() - 2, types.size())).containsExactly("abort", "finish");
    assertThat(types).contains("text-end");
    JsonNode status = runStatus(turn.runId());
    assertThat(status.path("status").asText()).isEqualTo("cancelled");
    assertThat(status.has("completedAt")).isTrue();
    HttpResponse<String> detail = client.get("/api/chats/" + chatId, "x-api-key", key);
    CONTRACT.check("GET", "/api/chats/{chatId}", detail);
    JsonNode stored = parse(detail.body()).path("messages").get(1);
    assertThat(stored.path("id").asText()).isEqualTo(messageId);
    JsonNode answer = parse(detail.body()).path("answers").get(0);
    assertThat(answer.path("messageId").asText()).isEqualTo(messageId);
    assertThat(answer.path("runId").asText()).isEqualTo(turn.runId());
    assertThat(answer.path("status").asText()).isEqualTo("cancelled");
    String text = stored.path("parts").findValuesAsText("text").getLast();
    assertThat(text).startsWith("You said:").isNotEqualTo("You said: " + LONG_TEXT);
    assertThat(client.get("/api/chat/" + chatId + "/stream", "x-api-key", key).statusCode())
        .isEqualTo(204);
  }

  @Test
  void a_failing_model_ends_with_error_then_finish_and_the_run_is_failed() {
    String chatId = newChatId();
    HttpResponse<String> res =
        client.post("/api/chat", chatTurn(chatId, "please fail now"), "x-api-key", key);
    List<String> chunks = SseEvents.chunks(res.body());
    List<String> types = types(chunks);
    assertThat(types.subList(types.size() - 2, types.size())).containsExactly("error", "finish");
    assertThat(parse(chunks.getLast()).path("finishReason").asText()).isEqualTo("error");
    JsonNode status = runStatus(res.headers().firstValue("x-workflow-run-id").orElseThrow());
    assertThat(status.path("status").asText()).isEqualTo("failed");
    assertThat(status.path("error").asText()).isNotBlank();
    HttpResponse<String> detail = client.get("/api/chats/" + chatId, "x-api-key", key);
    CONTRACT.check("GET", "/api/chats/{chatId}", detail);
    JsonNode answer = parse(detail.body()).path("answers").get(0);
    assertThat(answer.path("status").asText()).isEqualTo("failed");
    assertThat(answer.path("error").asText()).isEqualTo(status.path("error").asText());
  }

  @Test
  void deleting_a_chat_stops_its_run_and_its_watchers_see_the_end() {
    String chatId = newChatId();
    Open turn = openTurn(chatId, LONG_TEXT, 4);
    HttpResponse<String> deleted = client.delete("/api/chats/" + chatId, "x-api-key", key);
    assertThat(deleted.statusCode()).isEqualTo(200);
    CONTRACT.check("DELETE", "/api/chats/{chatId}", deleted);
    List<String> types = types(turn.readToEnd());
    assertThat(types.getLast()).isEqualTo("finish");
    assertThat(types).contains("abort");
    assertThat(client.get("/api/chats/" + chatId, "x-api-key", key).statusCode()).isEqualTo(404);
  }

  @Test
  void the_chat_list_shows_which_chats_are_streaming() {
    String idle = newChatId();
    client.post("/api/chat", chatTurn(idle, "short"), "x-api-key", key);
    String busy = newChatId();
    Open turn = openTurn(busy, LONG_TEXT, 2);

    HttpResponse<String> list = client.get("/api/chats", "x-api-key", key);
    CONTRACT.check("GET", "/api/chats", list);
    JsonNode chats = parse(list.body()).path("chats");
    assertThat(chats.get(0).path("id").asText()).isEqualTo(busy);
    assertThat(chats.get(0).path("isStreaming").asBoolean()).isTrue();
    assertThat(chats.get(0).path("activeRunId").asText()).isEqualTo(turn.runId());
    for (JsonNode chat : chats) {
      if (chat.path("id").asText().equals(idle)) {
        assertThat(chat.path("isStreaming").asBoolean()).isFalse();
      }
    }
    turn.readToEnd();
  }

  @Test
  void message_text_with_newlines_and_sse_lookalikes_never_breaks_the_framing() {
    String tricky = "line one\ndata: {\"type\":\"finish\"}\r\n\r\nid: 99\rend ✓ 😀";
    String chatId = newChatId();
    String body =
        Bodies.JSON
            .createObjectNode()
            .put("id", chatId)
            .set("messages", Bodies.JSON.createArrayNode().add(Bodies.userMessage("t1", tricky)))
            .toString();
    HttpResponse<String> res = client.post("/api/chat", body, "x-api-key", key);
    List<String> chunks = SseEvents.chunks(res.body());
    assertThat(types(chunks).getLast()).isEqualTo("finish");
    assertThat(types(chunks).stream().filter("finish"::equals)).hasSize(1);
    assertThat(Bodies.text(chunks)).isEqualTo("You said: " + tricky);
    assertThat(res.body().getBytes(StandardCharsets.UTF_8)).isNotEmpty();
  }
}
