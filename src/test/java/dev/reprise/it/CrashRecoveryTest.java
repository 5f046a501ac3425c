package dev.reprise.it;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.ServerProcess;
import dev.reprise.testing.SseEvents;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed with SIGKILL mid-run and started again on the same data dir loses nothing it
 * showed.
 */
class CrashRecoveryTest {
  private static final Map<String, String> ENV =
      Map.of("REPRISE_OFFLINE_DELAY_MS", "20", "REPRISE_MAX_CONCURRENT_RUNS", "1");

  @TempDir Path dataDir;

  @Test
  void every_chunk_seen_before_a_kill_is_replayed_and_the_run_is_finalized() throws Exception {
    String chatId = newChatId();
    String queuedChat = newChatId();
    List<String> seen = new ArrayList<>();
    String runId;
    String queuedRun;
    String key;
    try (ServerProcess first = ServerProcess.start(dataDir, ENV)) {
      key = first.createKey("crash");
      ApiClient client = first.client();
      HttpResponse<InputStream> post =
          client.open(
              "POST", "/api/chat", chatTurn(chatId, "crash ".repeat(200)), "x-api-key", key);
      runId = post.headers().firstValue("x-workflow-run-id").orElseThrow();
      HttpResponse<String> headless =
          client.post(
              "/api/chat/runs",
              "{\"prompt\":\"wait your turn\",\"chatId\":\"" + queuedChat + "\"}",
              "x-api-key",
              key);
      queuedRun = parse(headless.body()).path("runId").asText();
      assertThat(status(client, key, queuedRun)).isEqualTo("queued");
      SseEvents events = new SseEvents(post.body());
      while (seen.size() < 25) {
        seen.add(events.next().data());
      }
      first.kill();
    }

    try (ServerProcess second = ServerProcess.start(dataDir, ENV)) {
      ApiClient client = second.client();
      HttpResponse<String> replay =
          client.get("/api/chat/" + chatId + "/stream?startIndex=0", "x-api-key", key);
      List<String> chunks = SseEvents.chunks(replay.body());
      assertThat(chunks.subList(0, seen.size())).isEqualTo(seen);
      List<String> types = types(chunks);
      assertThat(types.subList(types.size() - 2, types.size())).containsExactly("error", "finish");

      assertThat(status(client, key, runId)).isEqualTo("failed");
      JsonNode stored =
          parse(client.get("/api/chats/" + chatId, "x-api-key", key).body())
              .path("messages")
              .get(1);
      assertThat(stored.path("id").asText())
          .isEqualTo(parse(seen.getFirst()).path("messageId").asText());
      assertThat(stored.path("parts").toString()).contains("You said:");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> status(client, key, queuedRun), "completed"::equals);
    }
  }

  private static String status(ApiClient client, String key, String runId) {
    return parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body())
        .path("status")
        .asText();
  }
}
