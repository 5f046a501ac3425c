package dev.reprise.model.mcp;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;

/**
 * The SDK's stdio transport, except that the child process does not inherit reprise's whole
 * environment (provider keys among it): only the SDK's short safe list (HOME, PATH, ...) plus the
 * variables configured for that server.
 */
final class IsolatedStdioTransport extends StdioClientTransport {
  IsolatedStdioTransport(ServerParameters params, McpJsonMapper mapper) {
    super(params, mapper);
  }

  @Override
  protected ProcessBuilder getProcessBuilder() {
    ProcessBuilder builder = new ProcessBuilder();
    builder.environment().clear();
    return builder;
  }
}
