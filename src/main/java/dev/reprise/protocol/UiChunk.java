package dev.reprise.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One AI SDK UI message chunk, exactly as it goes on the wire. Only fields that every supported
 * client version (ai 5.0.92+, 6.x, 7.x) accepts under its strict schema are modelled, so that an
 * older client never rejects a chunk for an unknown key: {@code abort} has no {@code reason}, tool
 * chunks carry no {@code title}. The two approval chunks exist only in ai 6 and later; ai 5 clients
 * never get them when approvals are switched off (see docs/models.md).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = UiChunk.Start.class, name = "start"),
  @JsonSubTypes.Type(value = UiChunk.StartStep.class, name = "start-step"),
  @JsonSubTypes.Type(value = UiChunk.FinishStep.class, name = "finish-step"),
  @JsonSubTypes.Type(value = UiChunk.TextStart.class, name = "text-start"),
  @JsonSubTypes.Type(value = UiChunk.TextDelta.class, name = "text-delta"),
  @JsonSubTypes.Type(value = UiChunk.TextEnd.class, name = "text-end"),
  @JsonSubTypes.Type(value = UiChunk.ReasoningStart.class, name = "reasoning-start"),
  @JsonSubTypes.Type(value = UiChunk.ReasoningDelta.class, name = "reasoning-delta"),
  @JsonSubTypes.Type(value = UiChunk.ReasoningEnd.class, name = "reasoning-end"),
  @JsonSubTypes.Type(value = UiChunk.ToolInputStart.class, name = "tool-input-start"),
  @JsonSubTypes.Type(value = UiChunk.ToolInputDelta.class, name = "tool-input-delta"),
  @JsonSubTypes.Type(value = UiChunk.ToolInputAvailable.class, name = "tool-input-available"),
  @JsonSubTypes.Type(value = UiChunk.ToolInputError.class, name = "tool-input-error"),
  @JsonSubTypes.Type(value = UiChunk.ToolOutputAvailable.class, name = "tool-output-available"),
  @JsonSubTypes.Type(value = UiChunk.ToolOutputError.class, name = "tool-output-error"),
  @JsonSubTypes.Type(value = UiChunk.ToolApprovalRequest.class, name = "tool-approval-request"),
  @JsonSubTypes.Type(value = UiChunk.ToolOutputDenied.class, name = "tool-output-denied"),
  @JsonSubTypes.Type(value = UiChunk.MessageMetadata.class, name = "message-metadata"),
  @JsonSubTypes.Type(value = UiChunk.Error.class, name = "error"),
  @JsonSubTypes.Type(value = UiChunk.Abort.class, name = "abort"),
  @JsonSubTypes.Type(value = UiChunk.Finish.class, name = "finish"),
})
public sealed interface UiChunk {

  record Start(String messageId, JsonNode messageMetadata) implements UiChunk {
    public Start(String messageId) {
      this(messageId, null);
    }
  }

  record StartStep() implements UiChunk {}

  record FinishStep() implements UiChunk {}

  record TextStart(String id) implements UiChunk {}

  record TextDelta(String id, String delta) implements UiChunk {}

  record TextEnd(String id) implements UiChunk {}

  record ReasoningStart(String id) implements UiChunk {}

  record ReasoningDelta(String id, String delta) implements UiChunk {}

  record ReasoningEnd(String id) implements UiChunk {}

  record ToolInputStart(String toolCallId, String toolName) implements UiChunk {}

  record ToolInputDelta(String toolCallId, String inputTextDelta) implements UiChunk {}

  record ToolInputAvailable(String toolCallId, String toolName, JsonNode input)
      implements UiChunk {}

  record ToolInputError(String toolCallId, String toolName, JsonNode input, String errorText)
      implements UiChunk {}

  record ToolOutputAvailable(String toolCallId, JsonNode output) implements UiChunk {}

  record ToolOutputError(String toolCallId, String errorText) implements UiChunk {}

  /** A tool call waits for the user's yes or no; only the fields ai 6.0 accepts. */
  record ToolApprovalRequest(String approvalId, String toolCallId) implements UiChunk {}

  /** The user said no: the tool did not run. */
  record ToolOutputDenied(String toolCallId) implements UiChunk {}

  record MessageMetadata(JsonNode messageMetadata) implements UiChunk {}

  record Error(String errorText) implements UiChunk {}

  record Abort() implements UiChunk {}

  record Finish(FinishReason finishReason, JsonNode messageMetadata) implements UiChunk {
    public Finish(FinishReason finishReason) {
      this(finishReason, null);
    }
  }
}
