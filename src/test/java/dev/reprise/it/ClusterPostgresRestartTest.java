package dev.reprise.it;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static dev.reprise.testing.Bodies.parse;
import static dev.reprise.testing.Bodies.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.testing.Cluster;
import dev.reprise.testing.SseEvents;
import dev.reprise.testing.TestEnvironment;
import java.io.File;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The machine's PostgreSQL restarts in the middle of a stream: the nodes' pools reconnect by
 * themselves, the stream goes on, the run still completes, and /health is ready again.
 */
class ClusterPostgresRestartTest {

  @Test
  void a_postgres_restart_mid_stream_is_survived() throws Exception {
    String version = postgresCluster();
    try (Cluster cluster = Cluster.start(2)) {
      String key = cluster.createKey("pg-restart");
      String chatId = newChatId();
      HttpResponse<InputStream> post =
          cluster
              .client(0)
              .open(
                  "POST", "/api/chat", chatTurn(chatId, "durable ".repeat(200)), "x-api-key", key);
      SseEvents events = new SseEvents(post.body());
      List<SseEvents.Event> seen = new ArrayList<>();
      while (seen.size() < 10) {
        seen.add(events.next());
      }

      restartPostgres(version);

      for (SseEvents.Event e = events.next(); e != null; e = events.next()) {
        seen.add(e);
      }
      List<String> chunks =
          seen.stream().filter(e -> !e.isDone()).map(SseEvents.Event::data).toList();
      assertThat(types(chunks).getLast()).isEqualTo("finish");
      assertThat(seen.stream().filter(e -> !e.isDone()).map(e -> Long.parseLong(e.id())))
          .containsExactlyElementsOf(LongStream.range(0, chunks.size()).boxed().toList());
      String runId = post.headers().firstValue("x-workflow-run-id").orElseThrow();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  parse(cluster.client(1).get("/api/chat/runs/" + runId, "x-api-key", key).body())
                      .path("status")
                      .asText(),
              "completed"::equals);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> cluster.client(0).get("/health").statusCode() == 200);
    }
  }

  /** The version of the machine's PostgreSQL cluster that pg_ctlcluster manages. */
  private static String postgresCluster() {
    String[] versions = new File("/etc/postgresql").list();
    boolean manageable =
        TestEnvironment.onPath("pg_ctlcluster")
            && versions != null
            && versions.length == 1
            && "root".equals(System.getProperty("user.name"));
    TestEnvironment.require(
        manageable, "a PostgreSQL this test may restart (pg_ctlcluster, as root)");
    return versions[0];
  }

  private static void restartPostgres(String version) throws Exception {
    Process restart =
        new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
            .redirectErrorStream(true)
            .start();
    String output = new String(restart.getInputStream().readAllBytes());
    assertThat(restart.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(restart.exitValue()).as(output).isZero();
  }
}
