package dev.reprise.it;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.testing.RunningServer;
import dev.reprise.testing.SseEvents;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shutdown drains runs; finished stream logs expire after the retention period. */
class LifecycleTest {
  @TempDir Path dataDir;

  @Test
  void shutdown_ends_a_run_that_outlives_the_drain_with_error_and_finish_for_its_readers()
      throws Exception {
    Map<String, String> env =
        Map.of(
            "REPRISE_DATA_DIR", dataDir.toString(),
            "REPRISE_OFFLINE_DELAY_MS", "20",
            "REPRISE_DRAIN_TIMEOUT", "100ms");
    String chatId = newChatId();
    String key;
    String runId;
    List<String> chunks = new ArrayList<>();
    try (RunningServer server = RunningServer.start(env)) {
      key = server.newKey("drain");
      HttpResponse<InputStream> post =
          server
              .client()
              .open("POST", "/api/chat", chatTurn(chatId, "long ".repeat(300)), "x-api-key", key);
      runId = post.headers().firstValue("x-workflow-run-id").orElseThrow();
      SseEvents events = new SseEvents(post.body());
      chunks.add(events.next().data());
      CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
      for (SseEvents.Event e = events.next(); e != null; e = events.next()) {
        if (!e.isDone()) {
          chunks.add(e.data());
        }
      }
      closing.join();
    }
    List<String> types = types(chunks);
    assertThat(types.subList(types.size() - 2, types.size())).containsExactly("error", "finish");

    try (RunningServer again = RunningServer.start(env)) {
      String status =
          parse(again.client().get("/api/chat/runs/" + runId, "x-api-key", key).body())
              .path("status")
              .asText();
      assertThat(status).isEqualTo("failed");
    }
  }

  @Test
  void a_finished_log_expires_after_the_retention_and_a_reconnect_then_gets_a_lone_finish() {
    try (RunningServer server =
        RunningServer.start(
            Map.of("REPRISE_STREAM_RETENTION", "1s", "REPRISE_DATA_DIR", dataDir.toString()))) {
      String key = server.newKey("retention");
      String chatId = newChatId();
      List<String> all =
          SseEvents.chunks(
              server
                  .client()
                  .post("/api/chat", chatTurn(chatId, "short lived"), "x-api-key", key)
                  .body());
      assertThat(all.size()).isGreaterThan(5);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  SseEvents.chunks(
                      server
                          .client()
                          .get("/api/chat/" + chatId + "/stream?startIndex=0", "x-api-key", key)
                          .body()),
              chunks -> chunks.equals(List.of("{\"type\":\"finish\"}")));
      assertThat(
              parse(server.client().get("/api/chats/" + chatId, "x-api-key", key).body())
                  .path("messages"))
          .hasSize(2);
    }
  }

  @Test
  void a_second_server_on_the_same_data_dir_is_refused_with_a_clear_message() {
    Map<String, String> env = Map.of("REPRISE_DATA_DIR", dataDir.toString());
    try (RunningServer first = RunningServer.start(env)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunningServer.start(env))
          .isInstanceOf(dev.reprise.config.ConfigException.class)
          .hasMessageContaining("another reprise server is using the data dir");
      assertThat(first.client().get("/health").statusCode()).isEqualTo(200);
    }
  }
}
