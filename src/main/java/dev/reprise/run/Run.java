package dev.reprise.run;

import java.time.Instant;

/**
 * One model answer being produced for a chat: its stream has the same id. {@code messageId} is the
 * id of the assistant message it writes, the one in its {@code start} chunk. {@code traceParent} is
 * the trace of the request that started it, which the node that executes it continues.
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
    Instant completedAt,
    String traceParent) {

  public static Run queued(
      String id,
      String chatId,
      String accountId,
      String messageId,
      String model,
      boolean headless,
      Instant now) {
    return new Run(
        id,
        chatId,
        accountId,
        messageId,
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
