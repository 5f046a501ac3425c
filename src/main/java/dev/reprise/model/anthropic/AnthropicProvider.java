package dev.reprise.model.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.reprise.model.AgentSettings;
import dev.reprise.model.ProviderConfig;
import dev.reprise.model.Secret;
import dev.reprise.model.agent.HttpClients;
import dev.reprise.model.agent.Provider;
import dev.reprise.model.agent.StreamEvent;
import java.net.http.HttpClient;
import java.util.List;

/** Anthropic's Messages API, with extended thinking when the provider has a budget for it. */
public final class AnthropicProvider implements Provider {
  static final int DEFAULT_MAX_TOKENS = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProviderConfig config;
  private final AgentSettings settings;
  private final HttpClient http;
  private final String baseUrl;

  public AnthropicProvider(ProviderConfig config, AgentSettings settings) {
    this.config = config;
    this.settings = settings;
    this.http = HttpClients.create(settings.timeout());
    this.baseUrl = config.baseUrl().map(AnthropicProvider::withVersion).orElse(null);
  }

  /** ANTHROPIC_BASE_URL is the host by the SDKs' convention; the API lives under /v1. */
  static String withVersion(String url) {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return (trimmed.endsWith("/v1") ? trimmed : trimmed + "/v1") + "/";
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public HttpClient http() {
    return http;
  }

  @Override
  public StreamingChatModel open(String modelName, HttpClientBuilder transport) {
    int budget = config.thinkingBudget();
    int maxTokens =
        config.maxOutputTokens().orElse(settings.maxOutputTokens().orElse(DEFAULT_MAX_TOKENS));
    if (budget > 0 && maxTokens <= budget) {
      maxTokens = budget + DEFAULT_MAX_TOKENS;
    }
    var builder =
        AnthropicStreamingChatModel.builder()
            .httpClientBuilder(transport)
            .apiKey(config.apiKey().map(Secret::value).orElseThrow())
            .modelName(modelName)
            .maxTokens(maxTokens)
            .timeout(settings.timeout())
            .returnThinking(true);
    if (baseUrl != null) {
      builder.baseUrl(baseUrl);
    }
    if (budget > 0) {
      builder.thinkingType("enabled").thinkingBudgetTokens(budget).sendThinking(true);
    }
    return builder.build();
  }

  @Override
  public UnmappedReader unmappedReader() {
    return new ToolStarts()::read;
  }

  /**
   * Reports each tool_use block as it opens, numbered as LangChain4j numbers tool calls, so the UI
   * shows the call before its first argument arrives.
   */
  private static final class ToolStarts {
    private int toolCalls;

    List<StreamEvent> read(ServerSentEvent event) {
      if (!"content_block_start".equals(event.event())) {
        return List.of();
      }
      try {
        JsonNode block = JSON.readTree(event.data()).path("content_block");
        if (!"tool_use".equals(block.path("type").asText())) {
          return List.of();
        }
        return List.of(
            new StreamEvent.ToolStarted(
                toolCalls++, block.path("id").asText(null), block.path("name").asText()));
      } catch (JsonProcessingException e) {
        return List.of();
      }
    }
  }
}
