package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.ServerExtension;
import dev.reprise.testing.SseEvents;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A turn that waits for a free run slot answers at once: the client (and any proxy in between) sees
 * 200 and the stream's headers while the run is still queued, and then gets the whole answer.
 */
class QueuedTurnTest {
  @RegisterExtension
  static final ServerExtension SERVER =
      ServerExtension.with(
          Map.of(
              "REPRISE_OFFLINE_DELAY_MS", "25",
              "REPRISE_MAX_CONCURRENT_RUNS", "1",
              // why: a heartbeat would send the headers too, late; this one comes after the wait.
              "REPRISE_HEARTBEAT_MS", "60000"));

  @Test
  void a_queued_turn_gets_its_headers_before_its_run_starts() throws Exception {
    ApiClient client = SERVER.client();
    String key = SERVER.newKey("queue");
    String busyChat = newChatId();
    HttpResponse<String> busy =
        client.post(
            "/api/chat/runs",
            "{\"prompt\":\""
                + "word ".repeat(2_000).strip()
                + "\",\"chatId\":\""
                + busyChat
                + "\"}",
            "x-api-key",
            key);
    String busyRun = parse(busy.body()).path("runId").asText();

    // why: HTTP/1.1, as browsers and proxies speak it to a server without TLS; the JDK client
    // would otherwise upgrade to HTTP/2, where the headers are a frame of their own.
    HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest turn =
        HttpRequest.newBuilder(URI.create(client.baseUrl() + "/api/chat"))
            .header("x-api-key", key)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(chatTurn(newChatId(), "hi")))
            .build();
    HttpResponse<InputStream> queued =
        http1.sendAsync(turn, HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);

    assertThat(queued.statusCode()).isEqualTo(200);
    assertThat(queued.headers().firstValue("content-type")).contains("text/event-stream");
    String queuedRun = queued.headers().firstValue("x-workflow-run-id").orElseThrow();
    // why: the 2,000-word answer holds the only slot for 50 s; headers that waited for the slot
    // would find the busy run ended.
    assertThat(status(client, key, busyRun)).isEqualTo("running");
    assertThat(status(client, key, queuedRun)).isEqualTo("queued");

    assertThat(client.post("/api/chat/" + busyChat + "/stop", "{}", "x-api-key", key).statusCode())
        .isEqualTo(200);
    SseEvents events = new SseEvents(queued.body());
    List<String> types = new ArrayList<>();
    for (SseEvents.Event event = events.next(); !event.isDone(); event = events.next()) {
      types.add(parse(event.data()).path("type").asText());
    }
    assertThat(types).startsWith("start").endsWith("finish").contains("text-delta");
    assertThat(status(client, key, queuedRun)).isEqualTo("completed");
  }

  private static String status(ApiClient client, String key, String runId) {
    return parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body())
        .path("status")
        .asText();
  }
}
