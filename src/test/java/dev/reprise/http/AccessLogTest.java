package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.model.LogCapture;
import dev.reprise.testing.RunningServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional access log: one line per answered request, without the query string. */
class AccessLogTest {

  @Test
  void each_request_gets_one_line_when_the_access_log_is_on() {
    try (LogCapture access = new LogCapture("dev.reprise.access");
        RunningServer server = RunningServer.start(Map.of("REPRISE_ACCESS_LOG", "true"))) {
      assertThat(server.client().get("/api/chats?token=secret").statusCode()).isEqualTo(401);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(access.lines()).anyMatch(l -> l.startsWith("GET /api/chats 401 ")));
      assertThat(access.lines()).noneMatch(l -> l.contains("secret"));
    }
  }

  @Test
  void it_is_off_by_default() {
    try (LogCapture access = new LogCapture("dev.reprise.access");
        RunningServer server = RunningServer.start(Map.of())) {
      assertThat(server.client().get("/health").statusCode()).isEqualTo(200);
      assertThat(access.lines()).isEmpty();
    }
  }
}
