package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.testing.ApiClient;
import dev.reprise.testing.Cluster;
import dev.reprise.testing.NodeProject;
import dev.reprise.testing.RunningServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Durable Streams protocol's own conformance suite (npm
 * {@code @durable-streams/server-conformance-tests} 0.3.6, run by compat/durable-streams) against a
 * real reprise server on each backend, through a capability URL; and the AI SDK's durable chat
 * transport ({@code @durable-streams/aisdk-transport}) against reprise's chat endpoints.
 */
class DurableStreamsConformanceTest {
  /** Every test the suite runs by default (its six opt-in subscription tests are not). */
  private static final int SUITE_TESTS = 332;

  private static final Pattern PASSED = Pattern.compile("Tests\\s+(\\d+) passed");
  private static final Map<String, String> SHORT_LONG_POLL =
      Map.of("REPRISE_DS_LONG_POLL_MS", "500", "REPRISE_OFFLINE_DELAY_MS", "20");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void the_protocols_own_suite_passes_on_the_embedded_default() throws Exception {
    NodeProject suite = NodeProject.at("compat/durable-streams").installed();
    try (RunningServer server = RunningServer.start(SHORT_LONG_POLL)) {
      String url = capability(server.client(), server.newKey("conformance"));
      assertPassesAll(suite, server.baseUrl() + url);
    }
  }

  @Test
  void the_protocols_own_suite_passes_on_postgresql_and_redis() throws Exception {
    NodeProject suite = NodeProject.at("compat/durable-streams").installed();
    try (Cluster cluster = Cluster.start(1, dev.reprise.testing.TestRedis.url(), SHORT_LONG_POLL)) {
      ApiClient node = cluster.client(0);
      String url = capability(node, cluster.createKey("conformance"));
      assertPassesAll(suite, node.baseUrl() + url);
    }
  }

  @Test
  void a_stream_written_through_one_node_is_read_live_through_another() throws Exception {
    try (Cluster cluster = Cluster.start(2, dev.reprise.testing.TestRedis.url(), SHORT_LONG_POLL)) {
      String key = cluster.createKey("two-nodes");
      ApiClient a = cluster.client(0);
      ApiClient b = cluster.client(1);
      String path = "/ds/v1/stream/across";
      assertThat(
              a.method("PUT", path, null, "x-api-key", key, "content-type", "application/json")
                  .statusCode())
          .isEqualTo(201);
      HttpResponse<InputStream> live =
          b.open("GET", path + "?offset=-1&live=sse", null, "x-api-key", key);
      assertThat(live.statusCode()).isEqualTo(200);
      try (BufferedReader events =
          new BufferedReader(new InputStreamReader(live.body(), StandardCharsets.UTF_8))) {
        assertThat(nextData(events, "control")).contains("\"upToDate\":true");
        for (int i = 1; i <= 3; i++) {
          assertThat(
                  a.post(
                          path,
                          "{\"n\":" + i + "}",
                          "x-api-key",
                          key,
                          "content-type",
                          "application/json")
                      .statusCode())
              .isEqualTo(204);
          assertThat(nextData(events, "data")).isEqualTo("[{\"n\":" + i + "}]");
        }
        a.post(path, "", "x-api-key", key, "Stream-Closed", "true");
        // why: keep-alive controls (one per long-poll timeout) may come before the closing one.
        String control = nextData(events, "control");
        for (int i = 0; i < 40 && !control.contains("streamClosed"); i++) {
          control = nextData(events, "control");
        }
        assertThat(control).contains("\"streamClosed\":true");
        assertThat(events.readLine()).isEmpty();
        assertThat(events.readLine()).as("the response ends after the close").isNull();
      }
    }
  }

  @Test
  void the_ai_sdk_durable_chat_transport_sends_cuts_and_resumes() throws Exception {
    NodeProject project = NodeProject.at("compat/durable-streams").installed();
    try (RunningServer server = RunningServer.start(SHORT_LONG_POLL)) {
      NodeProject.Result result =
          project.run(
              List.of("npx", "vitest", "run", "test/chat-transport.test.mjs"),
              Map.of(
                  "REPRISE_URL", server.baseUrl(), "REPRISE_API_KEY", server.newKey("transport")),
              300);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(passed(result.output())).as(result.output()).isEqualTo(4);
    }
  }

  private static String capability(ApiClient api, String key) throws Exception {
    HttpResponse<String> minted =
        api.post(
            "/api/streams/capabilities",
            "{\"scope\":\"manage\",\"ttlSeconds\":3600}",
            "x-api-key",
            key,
            "content-type",
            "application/json");
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    return JSON.readTree(minted.body()).get("url").asText();
  }

  private static void assertPassesAll(NodeProject suite, String baseUrl) throws Exception {
    NodeProject.Result result =
        suite.run(
            List.of("npx", "vitest", "run", "test/conformance.test.mjs"),
            Map.of("DS_URL", baseUrl),
            900);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain(" failed");
    assertThat(passed(result.output())).as(result.output()).isEqualTo(SUITE_TESTS);
  }

  private static int passed(String output) {
    Matcher m = PASSED.matcher(output.replaceAll("\u001B\\[[0-9;]*m", ""));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The data of the next event named {@code name}, skipping any other. */
  private static String nextData(BufferedReader events, String name) throws Exception {
    String event = null;
    for (String line = events.readLine(); line != null; line = events.readLine()) {
      if (line.startsWith("event: ")) {
        event = line.substring("event: ".length());
      } else if (line.startsWith("data:") && name.equals(event)) {
        return line.substring("data:".length());
      }
    }
    throw new AssertionError("the stream ended before a " + name + " event");
  }
}
