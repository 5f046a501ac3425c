package dev.reprise.run;

import java.time.Instant;

/**
 * One model answer being produced for a chat: its stream has the same id. {@code messageId} is the
 * id of the assistant message it writes, the one in its {@code start} chunk; {@code
 * continuesMessage} says whether that message is one the run continues after the user answered its
 * tool calls (the run then has a base message in its store). {@code traceParent} is the trace of
 * the request that started it, which the node that executes it continues.
 */
public record Run(
    String id,
    String chatId,
    String accountId,
    String messageId,
    boolean continuesMessage,
    String model,
    boolean headless,
    RunStatus status,
    String error,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    String traceParent) {

  /** A new run that writes a new assistant message. */
  public static Run queued(
      String id,
      String chatId,
      String accountId,
      String messageId,
      String model,
      boolean headless,
      Instant now) {
    return queued(id, chatId, accountId, messageId, false, model, headless, now);
  }

  /**
   * A new run that continues the assistant message {@code messageId} after the user answered its
   * tool calls.
   */
  public static Run continuing(
      String id,
      String chatId,
      String accountId,
      String messageId,
      String model,
      boolean headless,
      Instant now) {
    return queued(id, chatId, accountId, messageId, true, model, headless, now);
  }

  private static Run queued(
      String id,
      String chatId,
      String accountId,
      String messageId,
      boolean continuesMessage,
      String model,
      boolean headless,
      Instant now) {
    return new Run(
        id,
        chatId,
        accountId,
        messageId,
        continuesMessage,
        model,
        headless,
        RunStatus.QUEUED,
        null,
        now,
        null,
        null,
        null);
  }

  /** The run, carrying the trace of the request that starts it (a W3C traceparent, or null). */
  public Run withTraceParent(String traceParent) {
    return new Run(
        id,
        chatId,
        accountId,
        messageId,
        continuesMessage,
        model,
        headless,
        status,
        error,
        createdAt,
        startedAt,
        completedAt,
        traceParent);
  }
}
