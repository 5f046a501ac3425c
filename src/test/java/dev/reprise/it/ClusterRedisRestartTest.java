package dev.reprise.it;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.testing.Cluster;
import dev.reprise.testing.RedisServerProcess;
import dev.reprise.testing.SseEvents;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis (with an append-only file fsynced on every write) is killed and restarted in the middle of
 * a stream: the nodes reconnect by themselves, the stream goes on, and every reader gets every
 * chunk once.
 */
class ClusterRedisRestartTest {
  @TempDir Path redisDir;

  @Test
  void a_redis_restart_mid_stream_loses_and_repeats_nothing() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start(redisDir);
        Cluster cluster = Cluster.start(2, redis.url())) {
      String key = cluster.createKey("restart");
      String chatId = newChatId();
      HttpResponse<InputStream> post =
          cluster
              .client(0)
              .open("POST", "/api/chat", chatTurn(chatId, "steady ".repeat(120)), "x-api-key", key);
      HttpResponse<InputStream> watch =
          cluster.client(1).open("GET", "/api/chat/" + chatId + "/stream", null, "x-api-key", key);
      SseEvents onA = new SseEvents(post.body());
      SseEvents onB = new SseEvents(watch.body());
      List<SseEvents.Event> seenOnB = new ArrayList<>();
      while (seenOnB.size() < 20) {
        seenOnB.add(onB.next());
      }

      redis.kill();
      redis.startAgain();

      List<SseEvents.Event> seenOnA = readAll(onA, new ArrayList<>());
      readAll(onB, seenOnB);
      assertThat(seenOnB).isEqualTo(seenOnA);
      List<String> chunks =
          seenOnA.stream().filter(e -> !e.isDone()).map(SseEvents.Event::data).toList();
      assertThat(types(chunks).getLast()).isEqualTo("finish");
      assertThat(seenOnA.stream().filter(e -> !e.isDone()).map(e -> Long.parseLong(e.id())))
          .containsExactlyElementsOf(LongStream.range(0, chunks.size()).boxed().toList());
      String runId = post.headers().firstValue("x-workflow-run-id").orElseThrow();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  parse(cluster.client(1).get("/api/chat/runs/" + runId, "x-api-key", key).body())
                      .path("status")
                      .asText(),
              status -> !status.equals("running"));
    }
  }

  private static List<SseEvents.Event> readAll(SseEvents events, List<SseEvents.Event> into) {
    for (SseEvents.Event e = events.next(); e != null; e = events.next()) {
      into.add(e);
    }
    return into;
  }
}
