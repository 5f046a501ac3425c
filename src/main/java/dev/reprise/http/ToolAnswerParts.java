package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.protocol.ToolAnswer;
import dev.reprise.protocol.ToolParts;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers an AI SDK client puts in the assistant message it sends back: approval responses
 * ({@code addToolApprovalResponse}) and tool results ({@code addToolOutput}). Results of tools that
 * ran on the server are among them; the use case keeps only those that answer a waiting call.
 */
final class ToolAnswerParts {
  static final int MAX_REASON = 2000;

  private ToolAnswerParts() {}

  static List<ToolAnswer> of(ObjectNode message, String path) {
    List<ToolAnswer> answers = new ArrayList<>();
    JsonNode parts = message.path("parts");
    for (int i = 0; i < parts.size(); i++) {
      JsonNode part = parts.get(i);
      if (!ToolParts.isTool(part)) {
        continue;
      }
      String where = path + ".parts[" + i + "]";
      String callId = text(part, "toolCallId", where);
      switch (part.path("state").asText()) {
        case ToolParts.APPROVAL_RESPONDED -> answers.add(approval(part, callId, where));
        case ToolParts.OUTPUT_AVAILABLE ->
            answers.add(new ToolAnswer.Output(callId, part.path("output")));
        case ToolParts.OUTPUT_ERROR ->
            answers.add(new ToolAnswer.Failure(callId, part.path("errorText").asText("")));
        default -> {}
      }
    }
    return answers;
  }

  private static ToolAnswer approval(JsonNode part, String callId, String where) {
    JsonNode approval = part.get("approval");
    if (approval == null || !approval.isObject()) {
      throw ApiException.badRequest(where + ".approval must be an object", where + ".approval");
    }
    String id = text(approval, "id", where + ".approval");
    JsonNode approved = approval.get("approved");
    if (approved == null || !approved.isBoolean()) {
      throw ApiException.badRequest(
          where + ".approval.approved must be true or false", where + ".approval.approved");
    }
    return new ToolAnswer.Approval(
        id, callId, approved.asBoolean(), reason(approval.get("reason"), where + ".approval"));
  }

  /** An optional reason: a string of at most {@link #MAX_REASON} characters. */
  static String reason(JsonNode reason, String where) {
    if (reason == null || reason.isNull()) {
      return null;
    }
    if (!reason.isTextual() || reason.asText().length() > MAX_REASON) {
      throw ApiException.badRequest(
          where + ".reason must be a string of at most " + MAX_REASON + " characters",
          where + ".reason");
    }
    return reason.asText();
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw ApiException.badRequest(where + "." + field + " must be a non-empty string", where);
    }
    return value.asText();
  }
}
