package dev.reprise.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.model.ProviderConfig;
import dev.reprise.model.ProviderKind;
import dev.reprise.model.Secret;
import dev.reprise.model.mcp.McpServerConfig;
import dev.reprise.model.tools.ToolPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON file named by {@code REPRISE_MODELS_FILE}: more providers and the MCP servers. Secrets
 * are never written in it; values may refer to environment variables as {@code ${NAME}}.
 */
record ModelsFile(
    List<ProviderConfig> providers,
    List<McpServerConfig> mcpServers,
    Map<String, Boolean> approval,
    List<ToolPolicy.ClientTool> clientTools) {
  static final String VARIABLE = "REPRISE_MODELS_FILE";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  static ModelsFile empty() {
    return new ModelsFile(List.of(), List.of(), Map.of(), List.of());
  }

  static ModelsFile read(Path path, Map<String, String> env) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(path));
    } catch (IOException e) {
      throw new ConfigException(
          VARIABLE + " names " + path + ", which cannot be read as JSON: " + e.getMessage());
    }
    Reader reader = new Reader(path, env);
    if (root == null || !root.isObject()) {
      throw reader.fail(
          "",
          "must be a JSON object with \"providers\", \"mcpServers\", \"tools\" and/or"
              + " \"clientTools\"");
    }
    List<ProviderConfig> providers = new ArrayList<>();
    root.path("providers")
        .properties()
        .forEach(e -> providers.add(reader.provider(e.getKey(), e.getValue())));
    List<McpServerConfig> servers = new ArrayList<>();
    root.path("mcpServers")
        .properties()
        .forEach(e -> servers.add(reader.server(e.getKey(), e.getValue())));
    Map<String, Boolean> approval = new LinkedHashMap<>();
    root.path("tools")
        .properties()
        .forEach(e -> approval.put(e.getKey(), reader.approval(e.getKey(), e.getValue())));
    List<ToolPolicy.ClientTool> clientTools = new ArrayList<>();
    root.path("clientTools")
        .properties()
        .forEach(e -> clientTools.add(reader.clientTool(e.getKey(), e.getValue())));
    return new ModelsFile(providers, servers, approval, clientTools);
  }

  private record Reader(Path path, Map<String, String> env) {
    ProviderConfig provider(String name, JsonNode node) {
      String where = "providers." + name;
      if (!ProviderConfig.validName(name)) {
        throw fail(where, "is not a valid provider name (lower-case letters, digits, - and _)");
      }
      String type = text(node, "type", where).orElse("openai").toLowerCase(Locale.ROOT);
      ProviderKind kind =
          switch (type) {
            case "openai" -> ProviderKind.OPENAI;
            case "anthropic" -> ProviderKind.ANTHROPIC;
            default -> throw fail(where + ".type", "must be \"openai\" or \"anthropic\"");
          };
      Optional<Secret> key =
          text(node, "apiKeyEnv", where)
              .map(
                  variable ->
                      Optional.ofNullable(env.get(variable))
                          .filter(v -> !v.isBlank())
                          .map(v -> new Secret(v.trim()))
                          .orElseThrow(
                              () ->
                                  fail(
                                      where + ".apiKeyEnv",
                                      "names " + variable + ", which is not set")));
      if (kind == ProviderKind.ANTHROPIC && key.isEmpty()) {
        throw fail(where, "needs \"apiKeyEnv\": Anthropic requires an API key");
      }
      List<String> models = new ArrayList<>();
      node.path("models").forEach(m -> models.add(m.asText()));
      if (models.stream().anyMatch(String::isBlank)) {
        throw fail(where + ".models", "must be a list of model names");
      }
      int maxOutput = integer(node, "maxOutputTokens", where);
      int thinking = integer(node, "thinkingBudget", where);
      if (thinking != 0 && kind != ProviderKind.ANTHROPIC) {
        throw fail(where + ".thinkingBudget", "is only for \"anthropic\" providers");
      }
      return new ProviderConfig(
          name,
          kind,
          text(node, "baseUrl", where),
          key,
          models,
          maxOutput == 0 ? OptionalInt.empty() : OptionalInt.of(maxOutput),
          thinking);
    }

    McpServerConfig server(String name, JsonNode node) {
      String where = "mcpServers." + name;
      if (!name.matches("[A-Za-z0-9_-]{1,32}")) {
        throw fail(where, "is not a valid server name (letters, digits, - and _, at most 32)");
      }
      Optional<String> command = text(node, "command", where);
      Optional<String> url = text(node, "url", where);
      if (command.isPresent() == url.isPresent()) {
        throw fail(where, "needs exactly one of \"command\" (stdio) or \"url\" (streamable HTTP)");
      }
      if (command.isPresent()) {
        List<String> args = new ArrayList<>();
        node.path("args").forEach(a -> args.add(expand(a.asText(), where + ".args")));
        return new McpServerConfig.Stdio(
            name, command.get(), args, map(node.path("env"), where + ".env"));
      }
      if (!url.get().startsWith("http://") && !url.get().startsWith("https://")) {
        throw fail(where + ".url", "must be an http:// or https:// URL");
      }
      return new McpServerConfig.Http(
          name, url.get(), map(node.path("headers"), where + ".headers"));
    }

    /** {@code "tools": {"name": {"approval": "always" | "never"}}}. */
    boolean approval(String name, JsonNode node) {
      String where = "tools." + name + ".approval";
      return switch (node.path("approval").asText("")) {
        case "always" -> true;
        case "never" -> false;
        default -> throw fail(where, "must be \"always\" or \"never\"");
      };
    }

    /** {@code "clientTools": {"name": {"description": "...", "inputSchema": {...}}}}. */
    ToolPolicy.ClientTool clientTool(String name, JsonNode node) {
      String where = "clientTools." + name;
      if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw fail(where, "is not a valid tool name (letters, digits, - and _, at most 64)");
      }
      String description =
          text(node, "description", where)
              .orElseThrow(() -> fail(where + ".description", "is required"));
      JsonNode schema = node.get("inputSchema");
      if (schema != null && !schema.isObject()) {
        throw fail(where + ".inputSchema", "must be a JSON schema object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> inputSchema =
          schema == null
              ? Map.of("type", "object")
              : new ObjectMapper().convertValue(schema, Map.class);
      return new ToolPolicy.ClientTool(name, description, inputSchema);
    }

    private Map<String, String> map(JsonNode node, String where) {
      Map<String, String> values = new LinkedHashMap<>();
      node.properties().forEach(e -> values.put(e.getKey(), expand(e.getValue().asText(), where)));
      return values;
    }

    private Optional<String> text(JsonNode node, String field, String where) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isTextual() || value.asText().isBlank()) {
        throw fail(where + "." + field, "must be a non-empty string");
      }
      return Optional.of(expand(value.asText().trim(), where + "." + field));
    }

    private int integer(JsonNode node, String field, String where) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return 0;
      }
      if (!value.canConvertToInt() || value.asInt() < 0) {
        throw fail(where + "." + field, "must be a whole number, 0 or more");
      }
      return value.asInt();
    }

    private String expand(String value, String where) {
      Matcher m = REFERENCE.matcher(value);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String resolved = env.get(m.group(1));
        if (resolved == null) {
          throw fail(where, "refers to ${" + m.group(1) + "}, which is not set");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(resolved));
      }
      m.appendTail(out);
      return out.toString();
    }

    ConfigException fail(String where, String problem) {
      String at = where.isEmpty() ? "" : " " + where;
      return new ConfigException(VARIABLE + " (" + path + "):" + at + " " + problem);
    }
  }
}
