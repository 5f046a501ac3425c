package dev.reprise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.model.AgentSettings;
import dev.reprise.model.mcp.McpServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsConfigTest {
  @TempDir Path dir;

  @Test
  void with_no_provider_only_the_offline_model_is_offered_and_it_is_the_default() {
    ModelsConfig config = ModelsConfig.fromEnvironment(Map.of());

    assertThat(config.models()).isEmpty();
    assertThat(config.defaultModel()).isEqualTo("offline");
    assertThat(config.agent()).isEqualTo(AgentSettings.defaults());
  }

  @Test
  void a_provider_key_offers_its_default_model_which_becomes_the_default() {
    ModelsConfig config =
        ModelsConfig.fromEnvironment(Map.of("OPENAI_API_KEY", "sk-1", "ANTHROPIC_API_KEY", "sk-2"));

    assertThat(config.models())
        .containsExactly("openai/gpt-4.1-mini", "anthropic/claude-sonnet-4-5");
    assertThat(config.defaultModel()).isEqualTo("openai/gpt-4.1-mini");
  }

  @Test
  void reprise_models_lists_the_ids_and_the_default_can_stay_offline() {
    ModelsConfig config =
        ModelsConfig.fromEnvironment(
            Map.of(
                "OPENAI_BASE_URL", "http://localhost:11434/v1",
                "REPRISE_MODELS", "openai/qwen3:8b, openai/llama3.2",
                "REPRISE_DEFAULT_MODEL", "offline"));

    assertThat(config.models()).containsExactly("openai/qwen3:8b", "openai/llama3.2");
    assertThat(config.defaultModel()).isEqualTo("offline");
    assertThat(config.providers().get(0).apiKey()).isEmpty();
  }

  @Test
  void mistakes_are_reported_naming_the_variable() {
    assertThatThrownBy(
            () -> ModelsConfig.fromEnvironment(Map.of("REPRISE_MODELS", "openai/gpt-4.1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("REPRISE_MODELS")
        .hasMessageContaining("no provider 'openai'");
    assertThatThrownBy(
            () ->
                ModelsConfig.fromEnvironment(
                    Map.of("OPENAI_API_KEY", "k", "REPRISE_DEFAULT_MODEL", "openai/gpt-5")))
        .hasMessageStartingWith("REPRISE_DEFAULT_MODEL");
    assertThatThrownBy(() -> ModelsConfig.fromEnvironment(Map.of("REPRISE_MAX_STEPS", "0")))
        .hasMessageStartingWith("REPRISE_MAX_STEPS");
    assertThatThrownBy(() -> ModelsConfig.fromEnvironment(Map.of("REPRISE_MODEL_TIMEOUT", "soon")))
        .hasMessageStartingWith("REPRISE_MODEL_TIMEOUT");
    assertThatThrownBy(() -> ModelsConfig.fromEnvironment(Map.of("ANTHROPIC_BASE_URL", "http://x")))
        .hasMessageStartingWith("ANTHROPIC_BASE_URL");
    assertThatThrownBy(
            () ->
                ModelsConfig.fromEnvironment(
                    Map.of("REPRISE_MODELS_FILE", dir.resolve("none.json").toString())))
        .hasMessageStartingWith("REPRISE_MODELS_FILE");
  }

  @Test
  void the_file_adds_providers_and_mcp_servers_with_secrets_from_the_environment()
      throws Exception {
    Path file = dir.resolve("models.json");
    Files.writeString(
        file,
        """
        {
          "providers": {
            "gateway": {
              "type": "openai",
              "baseUrl": "https://ai-gateway.vercel.sh/v1",
              "apiKeyEnv": "AI_GATEWAY_API_KEY",
              "models": ["anthropic/claude-sonnet-4.5", "openai/gpt-5-mini"]
            },
            "claude": { "type": "anthropic", "apiKeyEnv": "CLAUDE_KEY", "models": ["claude-opus-4-1"],
                        "thinkingBudget": 4096 }
          },
          "mcpServers": {
            "fetch": { "command": "uvx", "args": ["mcp-server-fetch"], "env": { "TOKEN": "${FETCH_TOKEN}" } },
            "docs": { "url": "https://docs.example.com/mcp", "headers": { "Authorization": "Bearer ${DOCS_TOKEN}" } }
          }
        }
        """);

    ModelsConfig config =
        ModelsConfig.fromEnvironment(
            Map.of(
                "REPRISE_MODELS_FILE", file.toString(),
                "AI_GATEWAY_API_KEY", "vck-secret-1",
                "CLAUDE_KEY", "sk-ant-secret-2",
                "FETCH_TOKEN", "f-3",
                "DOCS_TOKEN", "d-4"));

    assertThat(config.models())
        .containsExactly(
            "gateway/anthropic/claude-sonnet-4.5",
            "gateway/openai/gpt-5-mini",
            "claude/claude-opus-4-1");
    assertThat(config.providers().get(1).thinkingBudget()).isEqualTo(4096);
    assertThat(config.mcpServers())
        .containsExactly(
            new McpServerConfig.Stdio(
                "fetch", "uvx", java.util.List.of("mcp-server-fetch"), Map.of("TOKEN", "f-3")),
            new McpServerConfig.Http(
                "docs", "https://docs.example.com/mcp", Map.of("Authorization", "Bearer d-4")));
    assertThat(config.toString()).doesNotContain("vck-secret-1", "sk-ant-secret-2", "f-3", "d-4");
  }

  @Test
  void a_file_provider_without_its_key_variable_is_refused() throws Exception {
    Path file = dir.resolve("models.json");
    Files.writeString(
        file, "{\"providers\":{\"gw\":{\"apiKeyEnv\":\"MISSING\",\"models\":[\"m\"]}}}");

    assertThatThrownBy(
            () -> ModelsConfig.fromEnvironment(Map.of("REPRISE_MODELS_FILE", file.toString())))
        .hasMessageContaining("REPRISE_MODELS_FILE")
        .hasMessageContaining("providers.gw.apiKeyEnv names MISSING, which is not set");
  }
}
