package dev.reprise.run;

import java.time.Instant;

/**
 * One model answer being produced for a chat: its stream has the same id. {@code messageId} is the
 * id of the assistant message it writes, the one in its {@code start} chunk.
 */
public record Run(
    String id,
    String chatId,
    String accountId,
    String messageId,
    String model,
    boolean headless,
    RunStatus status,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt) {

  public static Run queued(
      String id,
      String chatId,
      String accountId,
      String messageId,
      String model,
      boolean headless,
      Instant now) {
    return new Run(
        id, chatId, accountId, messageId, model, headless, RunStatus.QUEUED, null, now, null, null);
  }
}
