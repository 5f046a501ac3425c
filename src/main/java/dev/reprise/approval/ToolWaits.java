package dev.reprise.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reprise.protocol.ToolParts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The waits an ended answer leaves: its tool calls still open for the user. */
public final class ToolWaits {
  private ToolWaits() {}

  /**
   * The tool calls of {@code message} that wait: those asking for approval, and the client-side
   * tool calls that have their input but no output.
   */
  public static List<ToolWait> in(String chatId, JsonNode message, Instant now) {
    List<ToolWait> waits = new ArrayList<>();
    String messageId = message.path("id").asText();
    for (JsonNode part : ToolParts.of(message)) {
      String state = part.path("state").asText();
      ToolWait.Kind kind =
          switch (state) {
            case ToolParts.APPROVAL_REQUESTED -> ToolWait.Kind.APPROVAL;
            case ToolParts.INPUT_AVAILABLE -> ToolWait.Kind.CLIENT_TOOL;
            default -> null;
          };
      if (kind == null) {
        continue;
      }
      String callId = part.path("toolCallId").asText();
      String id =
          kind == ToolWait.Kind.APPROVAL ? part.path("approval").path("id").asText() : callId;
      JsonNode input = part.path("input");
      waits.add(
          new ToolWait(
              id,
              chatId,
              messageId,
              callId,
              ToolParts.toolName(part),
              input.isMissingNode() ? JsonNodeFactory.instance.objectNode() : input,
              kind,
              ToolWait.State.PENDING,
              Optional.empty(),
              now));
    }
    return waits;
  }
}
