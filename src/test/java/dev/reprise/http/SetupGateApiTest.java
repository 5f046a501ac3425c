package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.ServerExtension;
import dev.reprise.testing.SseEvents;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With room for one resume's set-up at a time: a resumed stream holds no turn while it streams, and
 * a resume refused during its set-up gives its turn back, so the next one is served.
 */
class SetupGateApiTest {
  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(
          Map.of("REPRISE_OFFLINE_DELAY_MS", "25", "REPRISE_HTTP_RESUME_CONCURRENCY", "1"));

  @Test
  @Timeout(30)
  void streams_hold_no_turn_and_refused_resumes_give_theirs_back() throws Exception {
    ApiClient client = SERVER.client();
    String key = SERVER.newKey("gate");
    String otherKey = SERVER.newKey("gate-other");
    String chatId = newChatId();
    String stream = "/api/chat/" + chatId + "/stream";
    try (InputStream poster =
            open(client, "POST", "/api/chat", chatTurn(chatId, "word ".repeat(2_000)), key);
        InputStream first = open(client, "GET", stream, null, key)) {
      assertThat(firstType(first)).isEqualTo("start");
      for (int i = 0; i < 3; i++) {
        assertThat(client.get(stream).statusCode()).isEqualTo(401);
        assertThat(client.get(stream, "x-api-key", otherKey).statusCode()).isEqualTo(403);
        assertThat(client.get(stream + "?startIndex=x", "x-api-key", key).statusCode())
            .isEqualTo(400);
        assertThat(
                client.get("/api/chat/" + newChatId() + "/stream", "x-api-key", key).statusCode())
            .isEqualTo(404);
      }
      String ended = newChatId();
      assertThat(client.post("/api/chat", chatTurn(ended, "short"), "x-api-key", key).statusCode())
          .isEqualTo(200);
      assertThat(client.get("/api/chat/" + ended + "/stream", "x-api-key", key).statusCode())
          .isEqualTo(204);

      try (InputStream second = open(client, "GET", stream, null, key)) {
        assertThat(firstType(second)).isEqualTo("start");
        assertThat(firstType(poster)).isEqualTo("start");
      }
      assertThat(client.post("/api/chat/" + chatId + "/stop", "", "x-api-key", key).statusCode())
          .isEqualTo(200);
    }
  }

  private static InputStream open(
      ApiClient client, String method, String path, String body, String key) {
    HttpResponse<InputStream> res =
        client.open(method, path, body, "x-api-key", key, "content-type", "application/json");
    assertThat(res.statusCode()).as(method + " " + path).isEqualTo(200);
    return res.body();
  }

  private static String firstType(InputStream stream) throws Exception {
    return parse(new SseEvents(stream).next().data()).path("type").asText();
  }
}
