package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.testing.NodeProject;
import dev.reprise.testing.RunningServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real AI SDK clients from npm (ai 7, 5.0.92 and 6.0.0, and @workflow/ai's
 * WorkflowChatTransport), driven by compat/test/*.test.mjs against a running server, and ai 5
 * against a server with tool approvals off (compat/test-ai5-no-approvals). See compat/README.md for
 * what each checks.
 */
class AiSdkClientsTest {
  @Test
  void the_ai_sdk_clients_send_resume_validate_and_reconnect() throws Exception {
    NodeProject compat = NodeProject.at("compat").installed();
    try (RunningServer server = RunningServer.start(Map.of("REPRISE_OFFLINE_DELAY_MS", "20"))) {
      String key = server.newKey("ai-sdk");
      NodeProject.Result result =
          compat.run(
              List.of("node", "--test", "--test-concurrency=1", "test/"),
              Map.of("REPRISE_URL", server.baseUrl(), "REPRISE_API_KEY", key),
              600);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("# fail 0").doesNotContain("# pass 0");
    }
  }

  /**
   * ai 5 clients fail on chunk types they do not know, so a deployment serving them turns approvals
   * off: then a message that would ask for approval gets the tool's output at once, and ai 5.0.92's
   * strict schema and readUIMessageStream read the whole answer (compat/test-ai5-no-approvals).
   */
  @Test
  void an_ai5_client_reads_a_please_approve_answer_when_approvals_are_off() throws Exception {
    NodeProject compat = NodeProject.at("compat").installed();
    try (RunningServer server =
        RunningServer.start(
            Map.of("REPRISE_OFFLINE_DELAY_MS", "20", "REPRISE_TOOL_APPROVALS", "false"))) {
      NodeProject.Result result =
          compat.run(
              List.of("node", "--test", "test-ai5-no-approvals/"),
              Map.of("REPRISE_URL", server.baseUrl(), "REPRISE_API_KEY", server.newKey("ai5")),
              300);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("# pass 1", "# fail 0");
    }
  }

  @Test
  void the_ai_sdk_renders_a_provider_tool_turn_resumed_mid_tool_call() throws Exception {
    NodeProject compat = NodeProject.at("compat").installed();
    Duration pause = Duration.ofMillis(60);
    try (FakeUpstream upstream =
            new FakeUpstream()
                .reply(
                    new Reply.Paced("openai/tool-calls.sse", pause),
                    new Reply.Paced("openai/after-tools.sse", pause));
        RunningServer server =
            RunningServer.start(
                Map.of(
                    "OPENAI_API_KEY", "sk-test-not-a-real-key",
                    "OPENAI_BASE_URL", upstream.baseUrl() + "/v1",
                    "REPRISE_MODELS", "openai/gpt-4.1-mini",
                    "REPRISE_DEFAULT_MODEL", "openai/gpt-4.1-mini"))) {
      NodeProject.Result result =
          compat.run(
              List.of("node", "--test", "provider-test/"),
              Map.of("REPRISE_URL", server.baseUrl(), "REPRISE_API_KEY", server.newKey("sdk")),
              300);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("# pass 1", "# fail 0");
      assertThat(upstream.requests()).hasSize(2);
    }
  }
}
