package dev.reprise.model.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools every real model may call, by name. The first tool with a name wins. */
public final class Toolbox {
  private final Map<String, Tool> tools = new LinkedHashMap<>();

  public Toolbox(List<Tool> tools) {
    tools.forEach(t -> this.tools.putIfAbsent(t.name(), t));
  }

  public Optional<Tool> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  public List<ToolSpecification> specifications() {
    return tools.values().stream().map(Tool::specification).toList();
  }

  public List<String> names() {
    return List.copyOf(tools.keySet());
  }
}
