package dev.reprise.model.mcp;

import java.util.List;
import java.util.Map;

/** One MCP server whose tools the models may call. Values may hold secrets: never printed. */
public sealed interface McpServerConfig {
  String name();

  /** A server started as a child process, spoken to over its stdin and stdout. */
  record Stdio(String name, String command, List<String> args, Map<String, String> env)
      implements McpServerConfig {
    public Stdio {
      args = List.copyOf(args);
      env = Map.copyOf(env);
    }

    @Override
    public String toString() {
      return "Stdio[" + name + ": " + command + "]";
    }
  }

  /** A remote server spoken to over streamable HTTP. */
  record Http(String name, String url, Map<String, String> headers) implements McpServerConfig {
    public Http {
      headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
      return "Http[" + name + "]";
    }
  }
}
