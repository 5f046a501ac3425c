package dev.reprise.model.openai;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.reprise.model.AgentSettings;
import dev.reprise.model.ProviderConfig;
import dev.reprise.model.Secret;
import dev.reprise.model.agent.HttpClients;
import dev.reprise.model.agent.Provider;
import java.net.http.HttpClient;
import java.util.OptionalInt;

/**
 * OpenAI's Chat Completions API, and every server that speaks it (the AI Gateway, OpenRouter,
 * Ollama, vLLM, llama.cpp). Reasoning is read from {@code reasoning_content} (DeepSeek, vLLM) by
 * LangChain4j and from {@code reasoning} (OpenRouter, Ollama) by {@link OpenAiUnmapped}.
 */
public final class OpenAiProvider implements Provider {
  private final ProviderConfig config;
  private final AgentSettings settings;
  private final HttpClient http;

  public OpenAiProvider(ProviderConfig config, AgentSettings settings) {
    this.config = config;
    this.settings = settings;
    this.http = HttpClients.create(settings.timeout());
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
    var builder =
        OpenAiStreamingChatModel.builder()
            .httpClientBuilder(transport)
            .modelName(modelName)
            .apiKey(config.apiKey().map(Secret::value).orElse(null))
            .returnThinking(true)
            .timeout(settings.timeout());
    config.baseUrl().ifPresent(builder::baseUrl);
    OptionalInt maxTokens =
        config.maxOutputTokens().isPresent()
            ? config.maxOutputTokens()
            : settings.maxOutputTokens();
    maxTokens.ifPresent(builder::maxCompletionTokens);
    return builder.build();
  }

  @Override
  public UnmappedReader unmappedReader() {
    return new OpenAiUnmapped()::read;
  }
}
