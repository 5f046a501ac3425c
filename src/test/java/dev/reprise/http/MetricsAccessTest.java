package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.RunningServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics endpoint behind a token, or on a port of its own. */
class MetricsAccessTest {
  private static final String TOKEN = "scrape-me-if-you-can-1234";

  @Test
  void with_a_token_a_scrape_without_it_is_refused() {
    try (RunningServer server = RunningServer.start(Map.of("REPRISE_METRICS_TOKEN", TOKEN))) {
      ApiClient client = server.client();
      assertThat(client.get("/metrics").statusCode()).isEqualTo(401);
      assertThat(
              client
                  .get("/metrics", "authorization", "Bearer wrong-token-wrong-token")
                  .statusCode())
          .isEqualTo(401);
      assertThat(client.get("/metrics", "authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void on_its_own_port_it_is_not_on_the_api_port() {
    try (RunningServer server = RunningServer.start(Map.of("REPRISE_METRICS_PORT", "0"))) {
      assertThat(server.client().get("/metrics").statusCode()).isEqualTo(404);
      ApiClient metrics = new ApiClient("http://127.0.0.1:" + server.metricsPort());
      assertThat(metrics.get("/metrics").body()).contains("reprise_runs_running");
      assertThat(metrics.get("/api/chats").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void switched_off_there_is_none() {
    try (RunningServer server = RunningServer.start(Map.of("REPRISE_METRICS_ENABLED", "false"))) {
      assertThat(server.client().get("/metrics").statusCode()).isEqualTo(404);
    }
  }
}
