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
 * A chat's stream is its account's, while its run is live (found from the run alone) and after it
 * has ended (found from the chat), with an index or without.
 */
class ResumeOwnershipTest {
  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(Map.of("REPRISE_OFFLINE_DELAY_MS", "25"));

  @Test
  @Timeout(30)
  void another_account_is_refused_the_stream_of_a_live_run_and_of_an_ended_one() throws Exception {
    ApiClient client = SERVER.client();
    String owner = SERVER.newKey("owner");
    String stranger = SERVER.newKey("stranger");
    String chatId = newChatId();
    String stream = "/api/chat/" + chatId + "/stream";
    HttpResponse<InputStream> posted =
        client.open(
            "POST",
            "/api/chat",
            chatTurn(chatId, "word ".repeat(2_000)),
            "x-api-key",
            owner,
            "content-type",
            "application/json");
    assertThat(posted.statusCode()).isEqualTo(200);
    try (InputStream poster = posted.body()) {
      assertThat(firstType(poster)).isEqualTo("start");

      assertRefused(client, stream, stranger, 403);
      assertRefused(client, stream + "?startIndex=0", stranger, 403);
      HttpResponse<InputStream> mine = client.open("GET", stream, null, "x-api-key", owner);
      assertThat(mine.statusCode()).isEqualTo(200);
      mine.body().close();

      assertThat(
              client.post(stream.replace("/stream", "/stop"), "", "x-api-key", owner).statusCode())
          .isEqualTo(200);
    }
    assertThat(client.get(stream, "x-api-key", owner).statusCode()).isEqualTo(204);
    assertRefused(client, stream, stranger, 403);
    assertRefused(client, stream + "?startIndex=0", stranger, 403);
    assertRefused(client, "/api/chat/" + newChatId() + "/stream?startIndex=0", owner, 404);
  }

  private static void assertRefused(ApiClient client, String path, String key, int status) {
    HttpResponse<String> res = client.get(path, "x-api-key", key);
    assertThat(res.statusCode()).as(path).isEqualTo(status);
    assertThat(parse(res.body()).path("status").asText()).isEqualTo("error");
    assertThat(res.body()).doesNotContain("word");
  }

  private static String firstType(InputStream stream) throws Exception {
    return parse(new SseEvents(stream).next().data()).path("type").asText();
  }
}
