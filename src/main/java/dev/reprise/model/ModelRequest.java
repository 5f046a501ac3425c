package dev.reprise.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.protocol.ToolAnswer;
import java.util.List;

/**
 * What a model is asked: the chat's messages (UIMessages, oldest first) and the assistant message
 * id. When the user answered tool calls of that message, it is the last message (with the answers
 * applied) and {@code answers} holds them: the model settles those calls first (runs the approved
 * tools, reports the denied ones and the client-side tools' results), then goes on.
 */
public record ModelRequest(
    String chatId, String messageId, List<JsonNode> messages, List<ToolAnswer> answers) {
  public ModelRequest {
    messages = List.copyOf(messages);
    answers = List.copyOf(answers);
  }

  public ModelRequest(String chatId, String messageId, List<JsonNode> messages) {
    this(chatId, messageId, messages, List.of());
  }

  /** Whether this request continues its message after the user answered its tool calls. */
  public boolean continues() {
    return !answers.isEmpty();
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
