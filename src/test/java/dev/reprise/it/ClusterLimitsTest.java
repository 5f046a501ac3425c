package dev.reprise.it;

import static dev.reprise.testing.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Cluster;
import dev.reprise.testing.TestRedis;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-account limits and key revocation hold across nodes sharing PostgreSQL and Redis: a slot or a
 * run taken through one node counts on the other, and a key revoked through one node fails at once
 * on the other.
 */
class ClusterLimitsTest {
  private Cluster cluster;
  private String key;

  @BeforeEach
  void startCluster() throws Exception {
    cluster =
        Cluster.start(
            2,
            TestRedis.url(),
            Map.of(
                "REPRISE_LIMIT_STREAM_READERS", "2",
                "REPRISE_LIMIT_LIVE_RUNS", "2",
                "REPRISE_OFFLINE_DELAY_MS", "20"));
    key = cluster.createKey("limited");
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

  private String headless(ApiClient via, String prompt) {
    HttpResponse<String> res =
        via.post("/api/chat/runs", "{\"prompt\":\"" + prompt + "\"}", "x-api-key", key);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    return parse(res.body()).path("chatId").asText();
  }

  @Test
  void live_runs_are_counted_over_both_nodes() {
    String first = headless(node(0), "long ".repeat(300).strip());
    headless(node(1), "long ".repeat(300).strip());

    HttpResponse<String> third =
        node(0).post("/api/chat/runs", "{\"prompt\":\"one more\"}", "x-api-key", key);
    HttpResponse<String> fourth =
        node(1).post("/api/chat/runs", "{\"prompt\":\"one more\"}", "x-api-key", key);

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    node(1).post("/api/chat/" + first + "/stop", "", "x-api-key", key);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                node(1)
                        .post("/api/chat/runs", "{\"prompt\":\"now\"}", "x-api-key", key)
                        .statusCode()
                    == 202);
  }

  @Test
  void stream_readers_are_counted_over_both_nodes_and_given_back_on_close() throws Exception {
    String chatId = headless(node(0), "watch ".repeat(400).strip());
    List<InputStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        HttpResponse<InputStream> res =
            node(i).open("GET", "/api/chat/" + chatId + "/stream", null, "x-api-key", key);
        assertThat(res.statusCode()).isEqualTo(200);
        open.add(res.body());
      }

      assertThat(node(0).get("/api/chat/" + chatId + "/stream", "x-api-key", key).statusCode())
          .isEqualTo(429);
      assertThat(node(1).get("/api/chat/" + chatId + "/stream", "x-api-key", key).statusCode())
          .isEqualTo(429);

      open.removeFirst().close();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                HttpResponse<InputStream> again =
                    node(1).open("GET", "/api/chat/" + chatId + "/stream", null, "x-api-key", key);
                again.body().close();
                return again.statusCode() == 200;
              });
    } finally {
      for (InputStream in : open) {
        in.close();
      }
      node(0).post("/api/chat/" + chatId + "/stop", "", "x-api-key", key);
    }
  }

  @Test
  void a_key_revoked_on_one_node_fails_on_the_other_at_once() {
    HttpResponse<String> created = node(0).post("/api/keys", "{}", "x-api-key", key);
    String second = parse(created.body()).path("key").asText();
    String id = parse(created.body()).path("id").asText();
    assertThat(node(1).get("/api/chats", "x-api-key", second).statusCode()).isEqualTo(200);

    assertThat(node(0).delete("/api/keys/" + id, "x-api-key", key).statusCode()).isEqualTo(200);

    assertThat(node(1).get("/api/chats", "x-api-key", second).statusCode()).isEqualTo(401);
    assertThat(node(0).get("/api/chats", "x-api-key", second).statusCode()).isEqualTo(401);
  }
}
