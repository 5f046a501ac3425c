package dev.reprise.app;

import dev.reprise.config.ModelsConfig;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ModelTelemetry;
import dev.reprise.model.ProviderConfig;
import dev.reprise.model.Redactor;
import dev.reprise.model.agent.AgentModel;
import dev.reprise.model.agent.Provider;
import dev.reprise.model.anthropic.AnthropicProvider;
import dev.reprise.model.mcp.McpToolset;
import dev.reprise.model.openai.OpenAiProvider;
import dev.reprise.model.tools.CalculatorTool;
import dev.reprise.model.tools.ClockTool;
import dev.reprise.model.tools.Tool;
import dev.reprise.model.tools.Toolbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models to register: the offline model and one agent model per offered id, sharing the
 * built-in tools and the MCP servers' tools. Close it on shutdown: it owns the MCP connections (and
 * child processes) and the providers' HTTP clients.
 */
public final class ModelCatalog implements AutoCloseable {
  private final List<ChatModel> models;
  private final String defaultModel;
  private final McpToolset mcp;
  private final List<Provider> providers;

  private ModelCatalog(
      List<ChatModel> models, String defaultModel, McpToolset mcp, List<Provider> providers) {
    this.models = List.copyOf(models);
    this.defaultModel = defaultModel;
    this.mcp = mcp;
    this.providers = List.copyOf(providers);
  }

  /** Connects to the MCP servers (blocking, each bounded by REPRISE_MODEL_TIMEOUT). */
  public static ModelCatalog build(ModelsConfig config, Clock clock, ChatModel offline) {
    return build(config, clock, offline, ModelTelemetry.none());
  }

  /** The same, with the provider and tool calls measured and traced in {@code telemetry}. */
  public static ModelCatalog build(
      ModelsConfig config, Clock clock, ChatModel offline, ModelTelemetry telemetry) {
    Redactor redactor = new Redactor(config.secrets());
    McpToolset mcp =
        config.mcpServers().isEmpty()
            ? McpToolset.empty()
            : McpToolset.connect(config.mcpServers(), config.agent().timeout(), redactor);
    List<Tool> tools = new ArrayList<>(List.of(new ClockTool(clock), new CalculatorTool()));
    tools.addAll(mcp.tools());
    Toolbox toolbox = config.tools().toolbox(tools);
    Map<String, Provider> providers = new LinkedHashMap<>();
    for (ProviderConfig p : config.providers()) {
      providers.put(
          p.name(),
          switch (p.kind()) {
            case OPENAI -> new OpenAiProvider(p, config.agent());
            case ANTHROPIC -> new AnthropicProvider(p, config.agent());
          });
    }
    List<ChatModel> models = new ArrayList<>(List.of(offline));
    for (String id : config.models()) {
      int slash = id.indexOf('/');
      models.add(
          new AgentModel(
              id,
              id.substring(slash + 1),
              providers.get(id.substring(0, slash)),
              toolbox,
              config.agent(),
              redactor,
              telemetry));
    }
    return new ModelCatalog(models, config.defaultModel(), mcp, List.copyOf(providers.values()));
  }

  /** The offline model first, then the offered real models in their configured order. */
  public List<ChatModel> models() {
    return models;
  }

  public String defaultModel() {
    return defaultModel;
  }

  @Override
  public void close() {
    mcp.close();
    providers.forEach(p -> p.http().close());
  }
}
