package dev.reprise.it;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Cluster;
import dev.reprise.testing.SseEvents;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three reprise processes sharing PostgreSQL and Redis, as behind a load balancer: any node serves
 * any call, and losing a node loses nothing a client has seen. Node A takes the runs (B and C do
 * not look for queued work, so the test knows which node executes), and B and C take over A's runs
 * when it dies.
 */
class ClusterTest {
  private static final String TEXT = "cluster ".repeat(150).strip();

  private Cluster cluster;
  private String key;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = Cluster.start(3);
    key = cluster.createKey("cluster");
  }

  @AfterEach
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private ApiClient node(int i) {
    return cluster.client(i);
  }

  private record Turn(String runId, SseEvents events, List<String> seen) {
    List<String> readToEnd() {
      for (SseEvents.Event e = events.next(); e != null; e = events.next()) {
        if (!e.isDone()) {
          seen.add(e.data());
        }
      }
      return seen;
    }
  }

  private Turn open(ApiClient client, String chatId, int chunks) {
    return open(client, chatId, chunks, TEXT);
  }

  private Turn open(ApiClient client, String chatId, int chunks, String text) {
    HttpResponse<InputStream> res =
        client.open("POST", "/api/chat", chatTurn(chatId, text), "x-api-key", key);
    assertThat(res.statusCode()).isEqualTo(200);
    SseEvents events = new SseEvents(res.body());
    List<String> seen = new ArrayList<>();
    while (seen.size() < chunks) {
      seen.add(events.next().data());
    }
    return new Turn(res.headers().firstValue("x-workflow-run-id").orElseThrow(), events, seen);
  }

  private String status(ApiClient client, String runId) {
    return parse(client.get("/api/chat/runs/" + runId, "x-api-key", key).body())
        .path("status")
        .asText();
  }

  @Test
  void a_run_started_on_a_is_resumed_on_b_and_watched_by_a_hundred_readers_on_all_nodes()
      throws Exception {
    String chatId = newChatId();
    Turn turn = open(node(0), chatId, 3);
    List<Future<List<String>>> watchers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 100; i++) {
        ApiClient client = node(i % 3);
        watchers.add(
            pool.submit(
                () ->
                    SseEvents.chunks(
                        client.get("/api/chat/" + chatId + "/stream", "x-api-key", key).body())));
      }
      List<String> full = turn.readToEnd();
      assertThat(types(full).getLast()).isEqualTo("finish");
      for (Future<List<String>> watcher : watchers) {
        assertThat(watcher.get()).isEqualTo(full);
      }
      HttpResponse<String> onB =
          node(1).get("/api/chat/" + chatId + "/stream?startIndex=0", "x-api-key", key);
      assertThat(SseEvents.chunks(onB.body())).isEqualTo(full);
    }
  }

  @Test
  void a_run_is_stopped_through_another_node() throws Exception {
    String chatId = newChatId();
    Turn turn = open(node(0), chatId, 5);

    HttpResponse<String> stop = node(2).post("/api/chat/" + chatId + "/stop", "", "x-api-key", key);

    assertThat(parse(stop.body()).path("stopped").asBoolean()).isTrue();
    List<String> types = types(turn.readToEnd());
    assertThat(types.subList(types.size() - 2, types.size())).containsExactly("abort", "finish");
    assertThat(status(node(1), turn.runId())).isEqualTo("cancelled");
  }

  @Test
  void when_the_owning_node_is_killed_another_finalizes_its_run_and_nothing_seen_is_lost()
      throws Exception {
    String chatId = newChatId();
    // why: an answer of several seconds, so that the kill below lands in its middle even when a
    // loaded machine is slow to attach the watcher (with 150 words, the run once ended first).
    Turn turn = open(node(0), chatId, 10, "cluster ".repeat(1_000).strip());
    HttpResponse<InputStream> watch =
        node(1).open("GET", "/api/chat/" + chatId + "/stream", null, "x-api-key", key);
    SseEvents watcher = new SseEvents(watch.body());
    List<String> watched = new ArrayList<>();
    while (watched.size() < 12) {
      watched.add(watcher.next().data());
    }

    cluster.node(0).kill();

    for (SseEvents.Event e = watcher.next(); e != null; e = watcher.next()) {
      if (!e.isDone()) {
        watched.add(e.data());
      }
    }
    List<String> types = types(watched);
    assertThat(types.subList(types.size() - 2, types.size())).containsExactly("error", "finish");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> status(node(2), turn.runId()), "failed"::equals);
    List<String> replay =
        SseEvents.chunks(
            node(2).get("/api/chat/" + chatId + "/stream?startIndex=0", "x-api-key", key).body());
    assertThat(replay).isEqualTo(watched);
    assertThat(replay.subList(0, turn.seen().size())).isEqualTo(turn.seen());
    String stored =
        parse(node(2).get("/api/chats/" + chatId, "x-api-key", key).body())
            .path("messages")
            .get(1)
            .path("id")
            .asText();
    assertThat(stored).isEqualTo(parse(turn.seen().getFirst()).path("messageId").asText());
  }

  @Test
  void sigterm_drains_a_node_its_run_finishes_and_its_readers_see_the_end() throws Exception {
    String chatId = newChatId();
    Turn turn = open(node(0), chatId, 5);

    java.util.concurrent.CompletableFuture<Void> terminated =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                cluster.node(0).close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    List<String> all = turn.readToEnd();
    terminated.join();

    assertThat(types(all).getLast()).isEqualTo("finish");
    assertThat(dev.reprise.testing.Bodies.text(all)).contains(TEXT);
    assertThat(status(node(1), turn.runId())).isEqualTo("completed");
    assertThat(node(2).get("/api/chats/" + chatId, "x-api-key", key).body()).contains(TEXT);
  }
}
