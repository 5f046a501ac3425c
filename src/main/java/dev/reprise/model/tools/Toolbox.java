package dev.reprise.model.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tools every real model may call, by name (the first tool with a name wins): tools that run on
 * the server, some only once the user approves a call, and client-side tools that the user's
 * browser runs.
 */
public final class Toolbox {
  private final Map<String, Tool> tools = new LinkedHashMap<>();
  private final Set<String> needApproval;
  private final Map<String, ToolSpecification> clientTools = new LinkedHashMap<>();

  public Toolbox(List<Tool> tools) {
    this(tools, Set.of(), List.of());
  }

  public Toolbox(List<Tool> tools, Set<String> needApproval, List<ToolSpecification> clientTools) {
    tools.forEach(t -> this.tools.putIfAbsent(t.name(), t));
    this.needApproval = Set.copyOf(needApproval);
    clientTools.forEach(
        spec -> {
          if (!this.tools.containsKey(spec.name())) {
            this.clientTools.putIfAbsent(spec.name(), spec);
          }
        });
  }

  /** A tool that runs on the server. */
  public Optional<Tool> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** Whether a call of this server tool waits for the user's approval before it runs. */
  public boolean needsApproval(String name) {
    return tools.containsKey(name) && needApproval.contains(name);
  }

  /** Whether the tool is declared client-side: the server never runs it. */
  public boolean isClientSide(String name) {
    return clientTools.containsKey(name);
  }

  /** What the model is offered: the server's tools, then the client-side ones. */
  public List<ToolSpecification> specifications() {
    List<ToolSpecification> all = new ArrayList<>();
    tools.values().forEach(t -> all.add(t.specification()));
    all.addAll(clientTools.values());
    return all;
  }

  public List<String> names() {
    List<String> names = new ArrayList<>(tools.keySet());
    names.addAll(clientTools.keySet());
    return names;
  }
}
