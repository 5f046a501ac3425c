package dev.reprise.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Chats and their messages. Callers check ownership; the store does not. */
public interface ChatStore {

  Optional<Chat> find(String chatId);

  /** Creates the chat; returns false when a chat with that id already exists (whoever owns it). */
  boolean create(Chat chat);

  /** The account's chats, most recently updated first. */
  List<Chat> listByAccount(String accountId);

  void touch(String chatId, Instant at);

  /** Renames the chat and/or changes its model (an empty value keeps the current one). */
  void edit(
      String chatId,
      java.util.Optional<String> title,
      java.util.Optional<String> model,
      Instant at);

  /**
   * Deletes the chat with its messages and runs, unless it has a live run (then empty): atomic with
   * respect to admitting a run for it. Returns the ids of the deleted runs, whose stream logs the
   * caller deletes; an empty list when there was no such chat.
   */
  Optional<List<String>> deleteIfIdle(String chatId);

  /**
   * Appends the message at the end unless the chat has one with its id; true when it was appended.
   */
  boolean appendIfAbsent(String chatId, StoredMessage message, Instant now);

  /**
   * Replaces the message with that id where it stands, or appends it; the chat counts as updated at
   * {@code now} (as by {@link #touch}), in the same transaction.
   */
  void upsert(String chatId, StoredMessage message, Instant now);

  /** The chat's messages in order. */
  List<StoredMessage> messages(String chatId);

  /** Deletes every message that comes after the one with {@code messageId} (used by regenerate). */
  void deleteAfter(String chatId, String messageId);
}
