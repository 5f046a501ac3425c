package dev.reprise.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The tool parts of an assistant UIMessage as the AI SDK shapes them ({@code tool-<name>} or {@code
 * dynamic-tool}, with a {@code state}), and how the user's answers change them.
 */
public final class ToolParts {
  public static final String APPROVAL_REQUESTED = "approval-requested";
  public static final String APPROVAL_RESPONDED = "approval-responded";
  public static final String INPUT_AVAILABLE = "input-available";
  public static final String OUTPUT_AVAILABLE = "output-available";
  public static final String OUTPUT_ERROR = "output-error";
  public static final String OUTPUT_DENIED = "output-denied";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ToolParts() {}

  public static boolean isTool(JsonNode part) {
    String type = part.path("type").asText();
    return type.startsWith("tool-") || type.equals("dynamic-tool");
  }

  public static String toolName(JsonNode part) {
    String type = part.path("type").asText();
    return type.equals("dynamic-tool") ? part.path("toolName").asText() : type.substring(5);
  }

  /** The message's tool parts, in order. */
  public static List<ObjectNode> of(JsonNode message) {
    List<ObjectNode> tools = new ArrayList<>();
    for (JsonNode part : message.path("parts")) {
      if (part instanceof ObjectNode object && isTool(object)) {
        tools.add(object);
      }
    }
    return tools;
  }

  /**
   * A copy of {@code message} with each answer applied to its tool call, as the AI SDK client
   * applies {@code addToolApprovalResponse} and {@code addToolOutput}.
   */
  public static ObjectNode answered(JsonNode message, List<ToolAnswer> answers) {
    ObjectNode copy = message.deepCopy();
    Map<String, ToolAnswer> byCall =
        answers.stream()
            .collect(Collectors.toMap(ToolAnswer::toolCallId, Function.identity(), (a, b) -> a));
    for (ObjectNode part : of(copy)) {
      ToolAnswer answer = byCall.get(part.path("toolCallId").asText());
      if (answer != null) {
        apply(part, answer);
      }
    }
    return copy;
  }

  /**
   * A copy of {@code message} in which the given calls, which waited for the user, end unanswered:
   * an approval as denied with {@code reason}, a client-side tool with {@code reason} as its error.
   */
  public static ObjectNode cancelled(JsonNode message, List<String> toolCallIds, String reason) {
    ObjectNode copy = message.deepCopy();
    for (ObjectNode part : of(copy)) {
      if (!toolCallIds.contains(part.path("toolCallId").asText())) {
        continue;
      }
      switch (part.path("state").asText()) {
        case APPROVAL_REQUESTED -> {
          part.put("state", OUTPUT_DENIED);
          ObjectNode approval = (ObjectNode) part.path("approval");
          approval.put("approved", false);
          approval.put("reason", reason);
        }
        case INPUT_AVAILABLE -> {
          part.put("state", OUTPUT_ERROR);
          part.put("errorText", reason);
        }
        default -> {}
      }
    }
    return copy;
  }

  private static void apply(ObjectNode part, ToolAnswer answer) {
    switch (answer) {
      case ToolAnswer.Approval approval -> {
        part.put("state", APPROVAL_RESPONDED);
        ObjectNode decision = part.putObject("approval");
        decision.put("id", approval.approvalId());
        decision.put("approved", approval.approved());
        if (approval.reason() != null) {
          decision.put("reason", approval.reason());
        }
      }
      case ToolAnswer.Output output -> {
        part.put("state", OUTPUT_AVAILABLE);
        part.set("output", output.output() == null ? NODES.nullNode() : output.output());
      }
      case ToolAnswer.Failure failure -> {
        part.put("state", OUTPUT_ERROR);
        part.put("errorText", failure.errorText());
      }
    }
  }
}
