package dev.reprise.model.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.model.Redactor;
import dev.reprise.model.tools.Tool;
import dev.reprise.model.tools.ToolException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class McpToolsetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static Tool tool(McpToolset set, String name) {
    return set.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void a_stdio_server_is_started_and_its_tools_called_without_reprise_environment()
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    McpServerConfig server =
        new McpServerConfig.Stdio(
            "fake",
            java,
            List.of("-cp", System.getProperty("java.class.path"), FakeMcpServer.class.getName()),
            Map.of("FAKE_TOKEN", "abc"));

    try (McpToolset set = McpToolset.connect(List.of(server), TIMEOUT, Redactor.none())) {
      assertThat(set.tools())
          .extracting(Tool::name)
          .containsExactly("fake_echo", "fake_fail", "fake_env");
      assertThat(tool(set, "fake_echo").specification().parameters().required())
          .containsExactly("text");
      assertThat(tool(set, "fake_echo").call(JSON.readTree("{\"text\":\"hi\"}")))
          .isEqualTo(JSON.readTree("{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}"));
      assertThatThrownBy(() -> tool(set, "fake_fail").call(JSON.createObjectNode()))
          .isInstanceOf(ToolException.class)
          .hasMessage("it broke");
      String env =
          tool(set, "fake_env").call(JSON.createObjectNode()).at("/content/0/text").asText();
      assertThat(List.of(env.split(",")))
          .contains("FAKE_TOKEN")
          .doesNotContain("REPRISE_LOG_LEVEL");
    }
  }

  @Test
  void a_streamable_http_server_gets_the_configured_headers() throws Exception {
    try (FakeMcpServer fake = FakeMcpServer.http();
        McpToolset set =
            McpToolset.connect(
                List.of(
                    new McpServerConfig.Http(
                        "docs", fake.url(), Map.of("Authorization", "Bearer t0k"))),
                TIMEOUT,
                Redactor.none())) {
      assertThat(set.tools()).extracting(Tool::name).contains("docs_echo");
      assertThat(
              tool(set, "docs_echo")
                  .call(JSON.readTree("{\"text\":\"over http\"}"))
                  .at("/content/0/text")
                  .asText())
          .isEqualTo("over http");
      assertThat(fake.headers)
          .allSatisfy(h -> assertThat(h.get("Authorization")).containsExactly("Bearer t0k"));
    }
  }

  @Test
  void an_unreachable_server_is_left_out_instead_of_failing_start_up() {
    McpServerConfig dead = new McpServerConfig.Http("dead", "http://127.0.0.1:1/mcp", Map.of());
    try (McpToolset set =
        McpToolset.connect(List.of(dead), Duration.ofSeconds(5), Redactor.none())) {
      assertThat(set.tools()).isEmpty();
    }
  }
}
