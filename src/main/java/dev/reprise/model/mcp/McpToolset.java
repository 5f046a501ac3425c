package dev.reprise.model.mcp;

import dev.reprise.model.Redactor;
import dev.reprise.model.tools.Tool;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools of the configured MCP servers, through the official MCP Java SDK. A server that cannot
 * be reached at start-up is logged and left out, so that one broken server does not keep reprise
 * from starting.
 */
public final class McpToolset implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(McpToolset.class);
  private static final String VERSION = "0.1.0";
  // why: tool output schemas are the server's business; the SDK's validator is a separate module.
  private static final JsonSchemaValidator NO_VALIDATION =
      (schema, content) -> JsonSchemaValidator.ValidationResponse.asValid(null);

  private final List<McpSyncClient> clients;
  private final List<Tool> tools;

  private McpToolset(List<McpSyncClient> clients, List<Tool> tools) {
    this.clients = List.copyOf(clients);
    this.tools = List.copyOf(tools);
  }

  public static McpToolset empty() {
    return new McpToolset(List.of(), List.of());
  }

  public static McpToolset connect(
      List<McpServerConfig> servers, Duration timeout, Redactor redactor) {
    JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper();
    List<McpSyncClient> clients = new ArrayList<>();
    List<Tool> tools = new ArrayList<>();
    for (McpServerConfig server : servers) {
      McpSyncClient client = null;
      try {
        client =
            McpClient.sync(transport(server, mapper, timeout))
                .requestTimeout(timeout)
                .initializationTimeout(timeout)
                .jsonSchemaValidator(NO_VALIDATION)
                .clientInfo(McpSchema.Implementation.builder("reprise", VERSION).build())
                .build();
        client.initialize();
        List<Tool> found = new ArrayList<>();
        String cursor = null;
        do {
          McpSchema.ListToolsResult page = client.listTools(cursor);
          for (McpSchema.Tool tool : page.tools()) {
            found.add(new McpTool(server.name(), client, tool, mapper.mapper()));
          }
          cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        clients.add(client);
        tools.addAll(found);
        LOG.info("MCP server '{}': {} tool(s)", server.name(), found.size());
      } catch (RuntimeException e) {
        LOG.warn(
            "MCP server '{}' is unavailable; its tools are left out: {}: {}",
            server.name(),
            e.getClass().getSimpleName(),
            redactor.clean(e.getMessage()));
        if (client != null) {
          client.close();
        }
      }
    }
    return new McpToolset(clients, tools);
  }

  private static McpClientTransport transport(
      McpServerConfig server, JacksonMcpJsonMapper mapper, Duration timeout) {
    return switch (server) {
      case McpServerConfig.Stdio stdio ->
          new IsolatedStdioTransport(
              ServerParameters.builder(stdio.command()).args(stdio.args()).env(stdio.env()).build(),
              mapper);
      case McpServerConfig.Http http -> {
        URI uri = URI.create(http.url());
        String path =
            uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        var builder =
            HttpClientStreamableHttpTransport.builder(
                    uri.getScheme() + "://" + uri.getRawAuthority())
                .endpoint(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                .jsonMapper(mapper)
                .connectTimeout(timeout);
        HttpRequest.Builder template = HttpRequest.newBuilder();
        http.headers().forEach(template::header);
        builder.requestBuilder(template);
        yield builder.build();
      }
    };
  }

  public List<Tool> tools() {
    return tools;
  }

  @Override
  public void close() {
    clients.forEach(McpSyncClient::close);
  }
}
