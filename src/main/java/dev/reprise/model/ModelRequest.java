package dev.reprise.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a model is asked: the chat's messages (UIMessages, oldest first) and the assistant message
 * id.
 */
public record ModelRequest(String chatId, String messageId, List<JsonNode> messages) {
  public ModelRequest {
    messages = List.copyOf(messages);
  }
}
