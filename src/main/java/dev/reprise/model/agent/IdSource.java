package dev.reprise.model.agent;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Part ids for one assistant message. Tool call ids must be unique within the message, since the UI
 * keys tool parts by them, yet some OpenAI-compatible servers send none or reuse "call_0".
 */
final class IdSource {
  private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final String prefix;
  private final Set<String> toolIds = new HashSet<>();
  private int texts;
  private int reasonings;
  private int generated;

  IdSource(String messageId) {
    String suffix = messageId.substring(messageId.indexOf('_') + 1).replaceAll("[^A-Za-z0-9]", "");
    this.prefix = suffix.length() > 24 ? suffix.substring(suffix.length() - 24) : suffix;
  }

  String text() {
    return "text-" + ++texts;
  }

  String reasoning() {
    return "reasoning-" + ++reasonings;
  }

  /** The provider's id when it is usable and new in this message, else a fresh one. */
  String toolCall(String providerId) {
    if (providerId != null && USABLE.matcher(providerId).matches() && toolIds.add(providerId)) {
      return providerId;
    }
    String id;
    do {
      id = "call_" + prefix + "_" + ++generated;
    } while (!toolIds.add(id));
    return id;
  }
}
