package dev.reprise.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A request for an answer: the messages it adds to the chat (the last one the user's), the model it
 * names if any, and for a regenerate the message whose answer is made again.
 *
 * @param headless a run nobody streams as it starts (POST /api/chat/runs)
 */
public record TurnRequest(
    String accountId,
    String chatId,
    List<JsonNode> messages,
    String firstUserText,
    Optional<String> model,
    Optional<String> regenerateAfter,
    boolean headless) {

  public TurnRequest {
    messages = List.copyOf(messages);
  }
}
