package dev.reprise.http;

import dev.reprise.auth.Principal;
import dev.reprise.chat.Chat;
import dev.reprise.chat.ChatService;
import dev.reprise.model.ModelRegistry;
import dev.reprise.run.Run;
import dev.reprise.run.RunStore;
import java.util.Optional;

/**
 * Finds what a caller may see: its own chats (403 for another's) and its own runs (404 for
 * another's).
 */
final class ChatAccess {
  private final ChatService chats;
  private final RunStore runs;
  private final ModelRegistry models;

  ChatAccess(ChatService chats, RunStore runs, ModelRegistry models) {
    this.chats = chats;
    this.runs = runs;
    this.models = models;
  }

  Chat ownedChat(String chatId, Principal caller) {
    Chat chat = chats.find(chatId).orElseThrow(() -> ApiException.notFound("Chat not found"));
    if (!chat.accountId().equals(caller.accountId())) {
      throw ApiException.forbidden();
    }
    return chat;
  }

  /** A run of the caller's; another account's run is reported as unknown, not as forbidden. */
  Run ownedRun(String runId, Principal caller) {
    return runs.find(runId)
        .filter(run -> run.accountId().equals(caller.accountId()))
        .orElseThrow(() -> ApiException.notFound("Run not found"));
  }

  /** The model to use: the requested one if known (400 otherwise), else the fallback. */
  String model(Optional<String> requested, String fallback) {
    if (requested.isEmpty() || requested.get().isBlank()) {
      return fallback == null ? models.defaultModel() : fallback;
    }
    String id = requested.get().strip();
    if (models.find(id).isEmpty()) {
      throw ApiException.badRequest(
          "Unknown model '" + id + "'; available: " + String.join(", ", models.ids()), "model");
    }
    return id;
  }

  boolean hasLiveRun(String chatId) {
    return runs.findLive(chatId).isPresent();
  }

  String defaultModel() {
    return models.defaultModel();
  }
}
