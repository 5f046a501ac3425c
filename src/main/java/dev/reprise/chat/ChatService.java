package dev.reprise.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.protocol.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** Creating chats, titling them, and recording the user's side of a turn. */
public final class ChatService {
  public static final int TITLE_LIMIT = 80;
  public static final String UNTITLED = "New chat";
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private final ChatStore store;
  private final Json json;
  private final Clock clock;

  public ChatService(ChatStore store, Json json, Clock clock) {
    this.store = store;
    this.json = json;
    this.clock = clock;
  }

  /**
   * The account's chat with that id, created now (titled after {@code firstText}) if there is none;
   * empty when the id is another account's chat.
   */
  public Optional<Chat> openOrCreate(
      String chatId, String accountId, String model, String firstText) {
    Optional<Chat> existing = store.find(chatId);
    // why: a chat deleted between create and find (a racing DELETE) is simply created again.
    for (int attempt = 0; existing.isEmpty() && attempt < 3; attempt++) {
      Instant now = clock.instant();
      store.create(new Chat(chatId, accountId, title(firstText), model, now, now));
      existing = store.find(chatId);
    }
    Chat chat =
        existing.orElseThrow(
            () -> new IllegalStateException("chat " + chatId + " keeps vanishing"));
    return chat.accountId().equals(accountId) ? Optional.of(chat) : Optional.empty();
  }

  public Optional<Chat> find(String chatId) {
    return store.find(chatId);
  }

  /** Stores a message the client sent, once: sending the same message id again changes nothing. */
  public void recordMessage(String chatId, JsonNode message) {
    Instant now = clock.instant();
    store.appendIfAbsent(chatId, stored(message), now);
    store.touch(chatId, now);
  }

  /** A message the client sent, as it is stored. */
  public StoredMessage stored(JsonNode message) {
    return new StoredMessage(
        message.path("id").asText(), message.path("role").asText(), json.write(message));
  }

  /** Forgets what followed {@code messageId}, so that the answer to it can be generated again. */
  public void truncateAfter(String chatId, String messageId) {
    store.deleteAfter(chatId, messageId);
  }

  /** A title from the first user message: one line, at most {@value #TITLE_LIMIT} characters. */
  public static String title(String text) {
    String line = text == null ? "" : WHITESPACE.matcher(text).replaceAll(" ").strip();
    if (line.isEmpty()) {
      return UNTITLED;
    }
    if (line.codePointCount(0, line.length()) <= TITLE_LIMIT) {
      return line;
    }
    int end = line.offsetByCodePoints(0, TITLE_LIMIT - 1);
    return line.substring(0, end).stripTrailing() + "…";
  }
}
