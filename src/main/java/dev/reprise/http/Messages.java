package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.config.LimitsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Validation of UIMessages as the AI SDK sends them: {id, role, parts, metadata?}. */
final class Messages {
  private static final Set<String> ROLES = Set.of("user", "assistant", "system");
  private static final int MAX_ID_LENGTH = 200;

  private Messages() {}

  /**
   * The {@code field} array of the body, each element a well-formed UIMessage; never empty. More
   * than {@code limits.messagesPerRequest()} messages, or one larger than {@code
   * limits.messageBytes()} as JSON, is a 413.
   */
  static List<ObjectNode> list(ObjectNode body, String field, LimitsConfig limits) {
    JsonNode array = body.get(field);
    if (array == null || array.isNull()) {
      throw ApiException.badRequest(field + " is required", field);
    }
    if (!array.isArray() || array.isEmpty()) {
      throw ApiException.badRequest(field + " must be a non-empty array of messages", field);
    }
    if (array.size() > limits.messagesPerRequest()) {
      throw ApiException.tooLarge(
          field + " has more than " + limits.messagesPerRequest() + " messages");
    }
    List<ObjectNode> messages = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      ObjectNode message = message(array.get(i), field + "[" + i + "]");
      if (utf8Length(message.toString()) > limits.messageBytes()) {
        throw ApiException.tooLarge(
            field + "[" + i + "] is larger than " + limits.messageBytes() + " bytes");
      }
      messages.add(message);
    }
    return messages;
  }

  /** The prompt of a headless run, held to the same size as a message. */
  static void checkPrompt(String prompt, LimitsConfig limits) {
    if (utf8Length(prompt) > limits.messageBytes()) {
      throw ApiException.tooLarge("prompt is larger than " + limits.messageBytes() + " bytes");
    }
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  static ObjectNode message(JsonNode node, String path) {
    if (!(node instanceof ObjectNode message)) {
      throw ApiException.badRequest(path + " must be an object", path);
    }
    JsonNode id = message.get("id");
    if (id == null
        || !id.isTextual()
        || id.asText().isBlank()
        || id.asText().length() > MAX_ID_LENGTH) {
      throw ApiException.badRequest(
          path + ".id must be a non-empty string of at most " + MAX_ID_LENGTH + " characters",
          path + ".id");
    }
    JsonNode role = message.get("role");
    if (role == null || !ROLES.contains(role.asText()) || !role.isTextual()) {
      throw ApiException.badRequest(
          path + ".role must be user, assistant or system", path + ".role");
    }
    JsonNode parts = message.get("parts");
    if (parts == null || !parts.isArray()) {
      throw ApiException.badRequest(path + ".parts must be an array", path + ".parts");
    }
    for (int i = 0; i < parts.size(); i++) {
      JsonNode part = parts.get(i);
      if (!part.isObject() || !part.path("type").isTextual()) {
        String where = path + ".parts[" + i + "]";
        throw ApiException.badRequest(where + " must be an object with a string type", where);
      }
    }
    return message;
  }

  static String role(ObjectNode message) {
    return message.path("role").asText();
  }

  /** The text of the message's text parts, joined. */
  static String text(JsonNode message) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : message.path("parts")) {
      if ("text".equals(part.path("type").asText())) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  /** The text of the first user message, for a chat's title. */
  static String firstUserText(List<ObjectNode> messages) {
    return messages.stream()
        .filter(m -> role(m).equals("user"))
        .findFirst()
        .map(Messages::text)
        .orElse("");
  }
}
