package dev.reprise.http;

import static dev.reprise.testing.Bodies.chatTurn;
import static dev.reprise.testing.Bodies.newChatId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.ApiClient;
import dev.reprise.testing.ServerExtension;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /metrics} during real runs: the counters an operator watches move. */
class MetricsTest {
  @RegisterExtension static final ServerExtension SERVER = ServerExtension.withDefaults();
  private static ApiClient client;
  private static String key;

  @BeforeAll
  static void signIn() {
    client = SERVER.client();
    key = SERVER.newKey("metrics");
  }

  private static String scrape() {
    HttpResponse<String> res = client.get("/metrics");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain");
    return res.body();
  }

  /** The value of the sample {@code name{labels}} (labels in the order Prometheus writes them). */
  static double sample(String text, String name, String labels) {
    Matcher m =
        Pattern.compile(
                "^" + Pattern.quote(name) + "(\\{" + labels + "[^}]*})?\\s+(\\S+)$",
                Pattern.MULTILINE)
            .matcher(text);
    return m.find() ? Double.parseDouble(m.group(2)) : 0;
  }

  @Test
  void a_run_moves_the_run_stream_http_and_resume_meters() {
    String before = scrape();
    String chatId = newChatId();
    assertThat(
            client.post("/api/chat", chatTurn(chatId, "count me"), "x-api-key", key).statusCode())
        .isEqualTo(200);
    assertThat(client.get("/api/chat/" + chatId + "/stream", "x-api-key", key).statusCode())
        .isEqualTo(204);
    String after = scrape();

    assertThat(sample(after, "reprise_runs_started_total", ".*kind=\"turn\""))
        .isEqualTo(sample(before, "reprise_runs_started_total", ".*kind=\"turn\"") + 1);
    assertThat(sample(after, "reprise_runs_ended_total", ".*status=\"completed\""))
        .isEqualTo(sample(before, "reprise_runs_ended_total", ".*status=\"completed\"") + 1);
    assertThat(sample(after, "reprise_stream_append_seconds_count", ".*backend=\"sqlite\""))
        .isGreaterThan(
            sample(before, "reprise_stream_append_seconds_count", ".*backend=\"sqlite\"") + 5);
    assertThat(sample(after, "reprise_stream_append_batch_count", ".*backend=\"sqlite\""))
        .isGreaterThan(0);
    assertThat(sample(after, "reprise_resume_requests_total", ".*outcome=\"nothing\""))
        .isEqualTo(sample(before, "reprise_resume_requests_total", ".*outcome=\"nothing\"") + 1);
    assertThat(
            sample(
                after,
                "reprise_http_requests_seconds_count",
                "method=\"POST\",route=\"/api/chat\",status=\"200\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(sample(after, "reprise_run_first_content_seconds_count", "")).isGreaterThan(0);
    assertThat(after).contains("jvm_memory_used_bytes").contains("process_cpu_usage");
    assertThat(after).doesNotContain(chatId);
  }
}
