package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.ServerExtension;
import dev.reprise.testing.SseEvents;
import dev.reprise.testing.ToolAnswers;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reader that replays a continuing answer from its start (ai 7's default transport, after a
 * reload) starts the message afresh at the first {@code start}: it gets the message as it stood
 * first, then the run's own chunks; a reader that resumes by index gets only the run's chunks.
 */
class ApprovalReplayTest {
  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(Map.of("REPRISE_OFFLINE_DELAY_MS", "60"));

  private static ApiClient client;
  private static String key;

  @BeforeAll
  static void signIn() {
    client = SERVER.client();
    key = SERVER.newKey("replay");
  }

  private static List<String> types(List<SseEvents.Event> events) {
    return events.stream()
        .filter(e -> !e.isDone())
        .map(e -> parse(e.data()).path("type").asText())
        .toList();
  }

  @Test
  void a_replay_from_the_start_rebuilds_the_message_first_and_an_indexed_resume_does_not() {
    String chatId = newChatId();
    assertThat(
            client.post("/api/chat", chatTurn(chatId, "approve it"), "x-api-key", key).statusCode())
        .isEqualTo(200);
    JsonNode before = parse(client.get("/api/chats/" + chatId, "x-api-key", key).body());
    String messageId = ToolAnswers.lastAssistant(before).path("id").asText();

    HttpResponse<InputStream> continuing =
        client.open(
            "POST",
            "/api/chat",
            ToolAnswers.resend(chatId, before, ToolAnswers.respond(true, null)),
            "x-api-key",
            key);
    SseEvents live = new SseEvents(continuing.body());
    assertThat(parse(live.next().data()).path("messageId").asText()).isEqualTo(messageId);

    JsonNode during = parse(client.get("/api/chats/" + chatId, "x-api-key", key).body());
    assertThat(ToolAnswers.lastAssistant(during).path("parts").get(2).path("state").asText())
        .isEqualTo("approval-responded");

    List<SseEvents.Event> replay =
        SseEvents.parse(client.get("/api/chat/" + chatId + "/stream", "x-api-key", key).body());
    List<String> replayed = types(replay);
    assertThat(replayed.subList(0, 9))
        .containsExactly(
            "start",
            "start-step",
            "reasoning-start",
            "reasoning-delta",
            "reasoning-end",
            "tool-input-available",
            "tool-approval-request",
            "finish-step",
            "start");
    assertThat(replayed.get(9)).isEqualTo("tool-output-available");
    assertThat(replay.get(0).id()).isNull();
    assertThat(replay.get(8).id()).isEqualTo("0");
    assertThat(parse(replay.get(8).data()).path("messageId").asText()).isEqualTo(messageId);

    String runId = continuing.headers().firstValue("x-workflow-run-id").orElseThrow();
    List<SseEvents.Event> indexed =
        SseEvents.parse(
            client.get("/api/chat/" + runId + "/stream?startIndex=0", "x-api-key", key).body());
    assertThat(types(indexed).subList(0, 2)).containsExactly("start", "tool-output-available");

    List<String> rest = new ArrayList<>();
    for (SseEvents.Event e = live.next(); e != null && !e.isDone(); e = live.next()) {
      rest.add(parse(e.data()).path("type").asText());
    }
    assertThat(rest).contains("tool-output-available").endsWith("finish");
  }
}
