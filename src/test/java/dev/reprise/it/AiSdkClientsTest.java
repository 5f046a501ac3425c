package dev.reprise.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.FakeUpstream;
import dev.reprise.model.FakeUpstream.Reply;
import dev.reprise.testing.RunningServer;
import dev.reprise.testing.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real AI SDK clients from npm (ai 7, 5.0.92 and 6.0.0, and @workflow/ai's
 * WorkflowChatTransport), driven by compat/test/*.test.mjs against a running server. See
 * compat/README.md for what each checks.
 */
class AiSdkClientsTest {
  private static final Path COMPAT =
      Path.of(System.getProperty("reprise.projectDir", ".")).resolve("compat");

  @Test
  void the_ai_sdk_clients_send_resume_validate_and_reconnect() throws Exception {
    TestEnvironment.require(TestEnvironment.hasCommand("node"), "Node.js (node)");
    TestEnvironment.require(TestEnvironment.hasCommand("npm"), "npm");
    installPackages();
    try (RunningServer server = RunningServer.start(Map.of("REPRISE_OFFLINE_DELAY_MS", "20"))) {
      String key = server.newKey("ai-sdk");
      Result result =
          run(
              List.of("node", "--test", "--test-concurrency=1", "test/"),
              Map.of("REPRISE_URL", server.baseUrl(), "REPRISE_API_KEY", key),
              600);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("# fail 0").doesNotContain("# pass 0");
    }
  }

  @Test
  void the_ai_sdk_renders_a_provider_tool_turn_resumed_mid_tool_call() throws Exception {
    TestEnvironment.require(TestEnvironment.hasCommand("node"), "Node.js (node)");
    TestEnvironment.require(TestEnvironment.hasCommand("npm"), "npm");
    installPackages();
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
      Result result =
          run(
              List.of("node", "--test", "provider-test/"),
              Map.of("REPRISE_URL", server.baseUrl(), "REPRISE_API_KEY", server.newKey("sdk")),
              300);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains("# pass 1", "# fail 0");
      assertThat(upstream.requests()).hasSize(2);
    }
  }

  /** npm ci, unless node_modules already matches the lockfile. */
  private static void installPackages() throws Exception {
    Path installed = COMPAT.resolve("node_modules/.package-lock.json");
    Path lock = COMPAT.resolve("package-lock.json");
    if (Files.exists(installed)
        && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
      return;
    }
    Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 600);
    assertThat(install.exitCode()).as("npm ci in compat/:\n" + install.output()).isZero();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command, Map<String, String> env, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("compat", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(COMPAT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, "timed out after " + timeoutSeconds + " s:\n" + read(output));
    }
    return new Result(process.exitValue(), read(output));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
