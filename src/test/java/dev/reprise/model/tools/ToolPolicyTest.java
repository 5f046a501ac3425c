package dev.reprise.model.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolPolicyTest {

  private static Tool tool(String name, boolean destructive) {
    return new Tool() {
      @Override
      public ToolSpecification specification() {
        return ToolSpecification.builder().name(name).description(name).build();
      }

      @Override
      public boolean destructive() {
        return destructive;
      }

      @Override
      public JsonNode call(JsonNode input) {
        return input;
      }
    };
  }

  private static final List<Tool> TOOLS =
      List.of(tool("clock", false), tool("github_delete_file", true), tool("fs_write", true));

  @Test
  void a_destructive_tool_needs_approval_unless_configured_otherwise() {
    Toolbox box =
        new ToolPolicy(true, Map.of("fs_write", false, "clock", true), List.of()).toolbox(TOOLS);
    assertThat(box.needsApproval("github_delete_file")).isTrue();
    assertThat(box.needsApproval("fs_write")).isFalse();
    assertThat(box.needsApproval("clock")).isTrue();
  }

  @Test
  void with_approvals_off_tools_that_would_need_one_are_not_offered() {
    Toolbox box = new ToolPolicy(false, Map.of("fs_write", false), List.of()).toolbox(TOOLS);
    assertThat(box.names()).containsExactly("clock", "fs_write");
    assertThat(box.needsApproval("fs_write")).isFalse();
  }

  @Test
  void client_side_tools_are_offered_but_never_found_to_run() {
    Toolbox box =
        new ToolPolicy(
                true,
                Map.of(),
                List.of(
                    new ToolPolicy.ClientTool(
                        "local_time", "The user's local time", Map.of("type", "object"))))
            .toolbox(TOOLS);
    assertThat(box.isClientSide("local_time")).isTrue();
    assertThat(box.find("local_time")).isEmpty();
    assertThat(box.specifications()).extracting(ToolSpecification::name).contains("local_time");
  }
}
