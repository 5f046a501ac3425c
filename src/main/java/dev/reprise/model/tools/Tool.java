package dev.reprise.model.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;

/** A tool a model may call. Calls may run in parallel, each on its own virtual thread. */
public interface Tool {

  /** The name, description and input schema the model sees. */
  ToolSpecification specification();

  default String name() {
    return specification().name();
  }

  /**
   * Whether the tool says it may change or destroy something (an MCP tool annotated {@code
   * destructiveHint}); such a tool needs the user's approval unless configured otherwise.
   */
  default boolean destructive() {
    return false;
  }

  /**
   * Runs the tool.
   *
   * @return the output, shown to the user and sent back to the model
   * @throws ToolException when the tool failed; its message is shown to the user and the model
   * @throws InterruptedException when the run was stopped
   */
  JsonNode call(JsonNode input) throws ToolException, InterruptedException;
}
