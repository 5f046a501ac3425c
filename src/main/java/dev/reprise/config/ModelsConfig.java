package dev.reprise.config;

import dev.reprise.model.AgentSettings;
import dev.reprise.model.OfflineModel;
import dev.reprise.model.ProviderConfig;
import dev.reprise.model.ProviderKind;
import dev.reprise.model.Secret;
import dev.reprise.model.mcp.McpServerConfig;
import dev.reprise.model.tools.ToolPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which real models reprise offers and how they are reached, read from the environment (and the
 * file named by {@code REPRISE_MODELS_FILE}) and validated at start-up. docs/models.md lists every
 * variable.
 *
 * @param models the offered model ids, {@code provider/model}, in the order they are listed
 * @param defaultModel the id new chats use: REPRISE_DEFAULT_MODEL, else the first offered model,
 *     else the offline model
 */
public record ModelsConfig(
    List<ProviderConfig> providers,
    List<String> models,
    String defaultModel,
    AgentSettings agent,
    List<McpServerConfig> mcpServers,
    ToolPolicy tools) {

  static final Map<String, String> BUILT_IN_DEFAULTS =
      Map.of("openai", "gpt-4.1-mini", "anthropic", "claude-sonnet-4-5");

  public ModelsConfig {
    providers = List.copyOf(providers);
    models = List.copyOf(models);
    mcpServers = List.copyOf(mcpServers);
  }

  public static ModelsConfig fromEnvironment(Map<String, String> env) {
    Env e = new Env(env);
    AgentSettings agent = agentSettings(e);
    List<ProviderConfig> providers = new ArrayList<>(environmentProviders(e));
    ModelsFile file =
        e.optional(ModelsFile.VARIABLE)
            .map(path -> ModelsFile.read(Path.of(path), env))
            .orElse(ModelsFile.empty());
    for (ProviderConfig p : file.providers()) {
      if (providers.stream().anyMatch(existing -> existing.name().equals(p.name()))) {
        throw new ConfigException(
            ModelsFile.VARIABLE
                + ": provider '"
                + p.name()
                + "' is already configured by the "
                + p.name().toUpperCase(java.util.Locale.ROOT)
                + "_* variables");
      }
      providers.add(p);
    }
    List<String> models = offered(e, providers);
    String defaultModel = defaultModel(e, models);
    ToolPolicy tools =
        new ToolPolicy(e.bool("REPRISE_TOOL_APPROVALS", true), file.approval(), file.clientTools());
    return new ModelsConfig(providers, models, defaultModel, agent, file.mcpServers(), tools);
  }

  /** Every credential in this configuration, so that logs can be scrubbed of them. */
  public List<Secret> secrets() {
    return providers.stream().flatMap(p -> p.apiKey().stream()).toList();
  }

  private static List<ProviderConfig> environmentProviders(Env e) {
    List<ProviderConfig> providers = new ArrayList<>();
    Optional<String> openAiKey = e.optional("OPENAI_API_KEY");
    Optional<String> openAiUrl = e.optional("OPENAI_BASE_URL");
    if (openAiKey.isPresent() || openAiUrl.isPresent()) {
      openAiUrl.ifPresent(url -> requireUrl("OPENAI_BASE_URL", url));
      providers.add(
          new ProviderConfig(
              "openai",
              ProviderKind.OPENAI,
              openAiUrl,
              openAiKey.map(Secret::new),
              List.of(),
              OptionalInt.empty(),
              0));
    }
    Optional<String> anthropicKey = e.optional("ANTHROPIC_API_KEY");
    Optional<String> anthropicUrl = e.optional("ANTHROPIC_BASE_URL");
    if (anthropicUrl.isPresent() && anthropicKey.isEmpty()) {
      throw new ConfigException("ANTHROPIC_BASE_URL is set but ANTHROPIC_API_KEY is not");
    }
    if (anthropicKey.isPresent()) {
      anthropicUrl.ifPresent(url -> requireUrl("ANTHROPIC_BASE_URL", url));
      providers.add(
          new ProviderConfig(
              "anthropic",
              ProviderKind.ANTHROPIC,
              anthropicUrl,
              anthropicKey.map(Secret::new),
              List.of(),
              OptionalInt.empty(),
              e.integer("REPRISE_ANTHROPIC_THINKING_BUDGET", 0, 0)));
    }
    return providers;
  }

  private static List<String> offered(Env e, List<ProviderConfig> providers) {
    Set<String> names = providers.stream().map(ProviderConfig::name).collect(Collectors.toSet());
    Set<String> ids = new LinkedHashSet<>();
    for (String raw : e.optional("REPRISE_MODELS").map(v -> v.split(",")).orElse(new String[0])) {
      String id = raw.trim();
      if (id.isEmpty()) {
        continue;
      }
      int slash = id.indexOf('/');
      if (slash <= 0 || slash == id.length() - 1) {
        throw new ConfigException(
            "REPRISE_MODELS must list model ids such as openai/gpt-4.1-mini, got '" + id + "'");
      }
      if (!names.contains(id.substring(0, slash))) {
        throw new ConfigException(
            "REPRISE_MODELS lists '"
                + id
                + "', but no provider '"
                + id.substring(0, slash)
                + "' is configured (configured: "
                + (names.isEmpty() ? "none" : String.join(", ", names))
                + ")");
      }
      ids.add(id);
    }
    for (ProviderConfig p : providers) {
      p.models().forEach(m -> ids.add(p.name() + "/" + m));
      boolean listed = ids.stream().anyMatch(id -> id.startsWith(p.name() + "/"));
      String builtIn = BUILT_IN_DEFAULTS.get(p.name());
      if (!listed && builtIn != null && p.models().isEmpty()) {
        ids.add(p.name() + "/" + builtIn);
      } else if (!listed) {
        throw new ConfigException(
            ModelsFile.VARIABLE
                + ": provider '"
                + p.name()
                + "' offers no model: give it \"models\" or name them in REPRISE_MODELS");
      }
    }
    return List.copyOf(ids);
  }

  private static String defaultModel(Env e, List<String> models) {
    Optional<String> chosen = e.optional("REPRISE_DEFAULT_MODEL");
    if (chosen.isPresent()) {
      String id = chosen.get();
      if (!id.equals(OfflineModel.ID) && !models.contains(id)) {
        throw new ConfigException(
            "REPRISE_DEFAULT_MODEL is '"
                + id
                + "', which is not offered (offered: "
                + OfflineModel.ID
                + (models.isEmpty() ? "" : ", " + String.join(", ", models))
                + ")");
      }
      return id;
    }
    return models.isEmpty() ? OfflineModel.ID : models.get(0);
  }

  private static void requireUrl(String name, String url) {
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new ConfigException(name + " must be an http:// or https:// URL, got '" + url + "'");
    }
  }

  /** The agent loop's settings; {@link AgentSettings#defaults()} are the same values unset. */
  static AgentSettings agentSettings(Env env) {
    int maxOutput = env.integer("REPRISE_MAX_OUTPUT_TOKENS", 0, 0);
    return new AgentSettings(
        env.integer("REPRISE_MAX_STEPS", AgentSettings.DEFAULT_MAX_STEPS, 1),
        env.integer("REPRISE_CONTEXT_TOKENS", AgentSettings.DEFAULT_CONTEXT_TOKENS, 1000),
        maxOutput == 0 ? OptionalInt.empty() : OptionalInt.of(maxOutput),
        env.integer("REPRISE_MODEL_RETRIES", AgentSettings.DEFAULT_RETRIES, 0),
        env.duration("REPRISE_MODEL_RETRY_BACKOFF", AgentSettings.DEFAULT_RETRY_BACKOFF),
        env.duration("REPRISE_MODEL_RETRY_MAX_WAIT", AgentSettings.DEFAULT_RETRY_MAX_WAIT),
        positive(env, "REPRISE_MODEL_TIMEOUT", AgentSettings.DEFAULT_TIMEOUT),
        positive(env, "REPRISE_TOOL_TIMEOUT", AgentSettings.DEFAULT_TOOL_TIMEOUT));
  }

  private static Duration positive(Env env, String name, Duration fallback) {
    Duration value = env.duration(name, fallback);
    if (value.isZero() || value.isNegative()) {
      throw new ConfigException(name + " must be greater than 0");
    }
    return value;
  }
}
