package dev.reprise.model.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.reprise.model.tools.Tool;
import dev.reprise.model.tools.ToolException;
import dev.reprise.model.tools.ToolSchemas;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One tool of an MCP server, named {@code server_tool} so that two servers cannot clash. Its output
 * is the MCP result: {@code content}, and {@code structuredContent} when the server gives one.
 */
final class McpTool implements Tool {
  private static final int MAX_ERROR = 1000;

  private final McpSyncClient client;
  private final String remoteName;
  private final ToolSpecification specification;
  private final ObjectMapper json;
  private final boolean destructive;

  McpTool(String server, McpSyncClient client, McpSchema.Tool tool, ObjectMapper json) {
    this.client = client;
    this.remoteName = tool.name();
    this.json = json;
    McpSchema.ToolAnnotations annotations = tool.annotations();
    this.destructive =
        annotations != null
            && Boolean.TRUE.equals(annotations.destructiveHint())
            && !Boolean.TRUE.equals(annotations.readOnlyHint());
    this.specification =
        ToolSpecification.builder()
            .name(localName(server, tool.name()))
            .description(tool.description() == null ? tool.name() : tool.description())
            .parameters(ToolSchemas.object(tool.inputSchema()))
            .build();
  }

  static String localName(String server, String tool) {
    String name = (server + "_" + tool).replaceAll("[^A-Za-z0-9_-]", "_");
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  @Override
  public ToolSpecification specification() {
    return specification;
  }

  @Override
  public boolean destructive() {
    return destructive;
  }

  @Override
  public JsonNode call(JsonNode input) throws ToolException, InterruptedException {
    @SuppressWarnings("unchecked")
    Map<String, Object> arguments = json.convertValue(input, Map.class);
    McpSchema.CallToolResult result;
    try {
      result =
          client.callTool(
              McpSchema.CallToolRequest.builder(remoteName).arguments(arguments).build());
    } catch (RuntimeException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      throw new ToolException("The MCP server did not answer the call.");
    }
    if (Boolean.TRUE.equals(result.isError())) {
      throw new ToolException(errorText(result));
    }
    ObjectNode output = json.createObjectNode();
    var content = output.putArray("content");
    if (result.content() != null) {
      for (McpSchema.Content item : result.content()) {
        content.add(contentJson(item));
      }
    }
    if (result.structuredContent() != null) {
      output.set("structuredContent", json.valueToTree(result.structuredContent()));
    }
    return output;
  }

  /** Written as its declared type, or Jackson leaves out the "type" that says what it is. */
  private JsonNode contentJson(McpSchema.Content item) {
    try {
      return json.readTree(json.writerFor(McpSchema.Content.class).writeValueAsString(item));
    } catch (JsonProcessingException e) {
      return json.createObjectNode().put("type", "text").put("text", "(unreadable content)");
    }
  }

  private static String errorText(McpSchema.CallToolResult result) {
    String text =
        result.content() == null
            ? ""
            : result.content().stream()
                .filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text())
                .collect(Collectors.joining("\n"));
    if (text.isBlank()) {
      return "The MCP tool reported an error.";
    }
    return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR) + "…";
  }
}
