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

  /** The text parts of the last user message, joined; empty when there is none. */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : message.path("parts")) {
          if ("text".equals(part.path("type").asText())) {
            text.append(part.path("text").asText());
          }
        }
        return text.toString();
      }
    }
    return "";
  }
}
