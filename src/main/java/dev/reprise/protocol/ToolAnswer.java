package dev.reprise.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The user's answer to a tool call that waited for them: a yes or no to a call that needed
 * approval, or the result of a client-side tool. {@code reason} may be null.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ToolAnswer.Approval.class, name = "approval"),
  @JsonSubTypes.Type(value = ToolAnswer.Output.class, name = "output"),
  @JsonSubTypes.Type(value = ToolAnswer.Failure.class, name = "failure"),
})
public sealed interface ToolAnswer {

  String toolCallId();

  record Approval(String approvalId, String toolCallId, boolean approved, String reason)
      implements ToolAnswer {}

  record Output(String toolCallId, JsonNode output) implements ToolAnswer {}

  record Failure(String toolCallId, String errorText) implements ToolAnswer {}
}
