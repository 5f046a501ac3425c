package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validation of ids and body fields, each failure a 400 that names the field. */
final class Params {
  private static final Pattern UUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private Params() {}

  static boolean isUuid(String value) {
    return value != null && UUID.matcher(value).matches();
  }

  /** A path or body chat id, which must be a UUID. */
  static String chatId(String value, String field) {
    if (!isUuid(value)) {
      throw ApiException.badRequest(field + " must be a UUID", field);
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  /** An optional string field: absent or null is empty; any other non-string is a 400. */
  static Optional<String> optionalString(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw ApiException.badRequest(field + " must be a string", field);
    }
    return Optional.of(node.asText());
  }

  /** A start index: an integer, negative counting back from the tail. */
  static long startIndex(String raw, String field) {
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(field + " must be an integer chunk index", field);
    }
  }
}
