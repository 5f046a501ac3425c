package dev.reprise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * Bodies that answer tool calls the way an AI SDK client does: the chat's messages sent back, the
 * last one the assistant message with its tool parts changed by {@code addToolApprovalResponse} or
 * {@code addToolOutput}.
 */
public final class ToolAnswers {
  private ToolAnswers() {}

  /** The chat's last assistant message (from {@code GET /api/chats/{id}}). */
  public static ObjectNode lastAssistant(JsonNode chatDetail) {
    JsonNode messages = chatDetail.path("messages");
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).path("role").asText().equals("assistant")) {
        return (ObjectNode) messages.get(i).deepCopy();
      }
    }
    throw new AssertionError("no assistant message in " + chatDetail);
  }

  /** The body that answers with the chat's messages, the last one changed by {@code change}. */
  public static String resend(String chatId, JsonNode chatDetail, Consumer<ObjectNode> change) {
    ObjectNode body = Bodies.JSON.createObjectNode().put("id", chatId);
    body.put("trigger", "submit-message");
    ArrayNode messages = body.putArray("messages");
    chatDetail.path("messages").forEach(m -> messages.add(m.deepCopy()));
    ObjectNode last = (ObjectNode) messages.get(messages.size() - 1);
    if (!last.path("role").asText().equals("assistant")) {
      throw new AssertionError("the chat does not end with an assistant message: " + chatDetail);
    }
    change.accept(last);
    return body.toString();
  }

  /** addToolApprovalResponse on every tool part that asks for approval. */
  public static Consumer<ObjectNode> respond(boolean approved, String reason) {
    return message ->
        message
            .path("parts")
            .forEach(
                part -> {
                  if (part.path("state").asText().equals("approval-requested")) {
                    ObjectNode tool = (ObjectNode) part;
                    tool.put("state", "approval-responded");
                    ObjectNode approval = (ObjectNode) tool.path("approval");
                    approval.put("approved", approved);
                    if (reason != null) {
                      approval.put("reason", reason);
                    }
                  }
                });
  }

  /** addToolOutput on every tool part that has its input but no output. */
  public static Consumer<ObjectNode> output(JsonNode output) {
    return message ->
        message
            .path("parts")
            .forEach(
                part -> {
                  if (part.path("state").asText().equals("input-available")) {
                    ((ObjectNode) part).put("state", "output-available").set("output", output);
                  }
                });
  }

  /** The body of a headless answer. */
  public static String decision(boolean approved) {
    return Bodies.JSON.createObjectNode().put("approved", approved).toString();
  }
}
