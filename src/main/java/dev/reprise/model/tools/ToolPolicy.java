package dev.reprise.model.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tool calls wait for the user.
 *
 * @param approvals whether any call may wait for an approval; off, for deployments whose clients
 *     (ai 5) cannot parse approval chunks, tools that would need one are not offered at all
 * @param approval per tool name, whether its calls need approval; a tool not named needs it when it
 *     says it is destructive
 * @param clientTools tools the user's browser runs: the server offers them and never runs them
 */
public record ToolPolicy(
    boolean approvals, Map<String, Boolean> approval, List<ClientTool> clientTools) {

  public ToolPolicy {
    approval = Map.copyOf(approval);
    clientTools = List.copyOf(clientTools);
  }

  public static ToolPolicy defaults() {
    return new ToolPolicy(true, Map.of(), List.of());
  }

  /** A client-side tool: what the model is told about it; its input is an object. */
  public record ClientTool(String name, String description, Map<String, Object> inputSchema) {
    ToolSpecification specification() {
      return ToolSpecification.builder()
          .name(name)
          .description(description)
          .parameters(ToolSchemas.object(inputSchema))
          .build();
    }
  }

  public boolean needsApproval(Tool tool) {
    return approval.getOrDefault(tool.name(), tool.destructive());
  }

  /** The toolbox the models share under this policy. */
  public Toolbox toolbox(List<Tool> tools) {
    List<Tool> offered = new ArrayList<>();
    Set<String> needApproval = new HashSet<>();
    for (Tool tool : tools) {
      if (!needsApproval(tool)) {
        offered.add(tool);
      } else if (approvals) {
        offered.add(tool);
        needApproval.add(tool.name());
      }
    }
    return new Toolbox(
        offered, needApproval, clientTools.stream().map(ClientTool::specification).toList());
  }
}
