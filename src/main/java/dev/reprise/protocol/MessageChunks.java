package dev.reprise.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks that build a stored assistant message from nothing, the way a client that replays a
 * stream from its start (ai 7's {@code resumeStreamIsReplay}) rebuilds it: steps, text, reasoning
 * and tool calls in their states. Parts reprise never writes (files, sources, data) are left out.
 */
public final class MessageChunks {
  private MessageChunks() {}

  public static List<UiChunk> of(JsonNode message) {
    List<UiChunk> chunks = new ArrayList<>();
    boolean inStep = false;
    int n = 0;
    for (JsonNode part : message.path("parts")) {
      String type = part.path("type").asText();
      if (type.equals("step-start")) {
        if (inStep) {
          chunks.add(new UiChunk.FinishStep());
        }
        chunks.add(new UiChunk.StartStep());
        inStep = true;
      } else if (type.equals("text") || type.equals("reasoning")) {
        String id = "replay-" + ++n;
        String text = part.path("text").asText();
        if (type.equals("text")) {
          chunks.add(new UiChunk.TextStart(id));
          chunks.add(new UiChunk.TextDelta(id, text));
          chunks.add(new UiChunk.TextEnd(id));
        } else {
          chunks.add(new UiChunk.ReasoningStart(id));
          chunks.add(new UiChunk.ReasoningDelta(id, text));
          chunks.add(new UiChunk.ReasoningEnd(id));
        }
      } else if (ToolParts.isTool(part)) {
        tool(part, chunks);
      }
    }
    if (inStep) {
      chunks.add(new UiChunk.FinishStep());
    }
    return chunks;
  }

  private static void tool(JsonNode part, List<UiChunk> chunks) {
    String callId = part.path("toolCallId").asText();
    String state = part.path("state").asText();
    JsonNode input = part.path("input").isMissingNode() ? null : part.path("input");
    chunks.add(new UiChunk.ToolInputAvailable(callId, ToolParts.toolName(part), input));
    String approvalId = part.path("approval").path("id").asText("");
    if (!approvalId.isEmpty()) {
      chunks.add(new UiChunk.ToolApprovalRequest(approvalId, callId));
    }
    switch (state) {
      case ToolParts.OUTPUT_AVAILABLE ->
          chunks.add(new UiChunk.ToolOutputAvailable(callId, part.path("output")));
      case ToolParts.OUTPUT_ERROR ->
          chunks.add(new UiChunk.ToolOutputError(callId, part.path("errorText").asText()));
      case ToolParts.OUTPUT_DENIED -> chunks.add(new UiChunk.ToolOutputDenied(callId));
      default -> {}
    }
  }
}
