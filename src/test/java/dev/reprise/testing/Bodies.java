package dev.reprise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.UUID;

/** Request bodies as the AI SDK sends them, and JSON parsing for assertions. */
public final class Bodies {
  public static final ObjectMapper JSON = new ObjectMapper();

  private Bodies() {}

  /** A UIMessage from the user with one text part. */
  public static ObjectNode userMessage(String id, String text) {
    ObjectNode message = JSON.createObjectNode().put("id", id).put("role", "user");
    message.putArray("parts").addObject().put("type", "text").put("text", text);
    return message;
  }

  /** The body DefaultChatTransport posts for a new user message. */
  public static String chatTurn(String chatId, String text) {
    ObjectNode body = JSON.createObjectNode().put("id", chatId).put("trigger", "submit-message");
    body.putArray("messages").add(userMessage(UUID.randomUUID().toString(), text));
    return body.toString();
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The "type" of each chunk. */
  public static java.util.List<String> types(java.util.List<String> chunks) {
    return chunks.stream().map(c -> parse(c).path("type").asText()).toList();
  }

  /** The text of a chunk list's text deltas, concatenated. */
  public static String text(java.util.List<String> chunks) {
    StringBuilder text = new StringBuilder();
    for (String chunk : chunks) {
      JsonNode node = parse(chunk);
      if (node.path("type").asText().equals("text-delta")) {
        text.append(node.path("delta").asText());
      }
    }
    return text.toString();
  }

  public static String newChatId() {
    return UUID.randomUUID().toString();
  }
}
