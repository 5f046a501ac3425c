package dev.reprise.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.approval.ToolWaitStore;
import dev.reprise.approval.ToolWaits;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.protocol.Json;
import java.time.Clock;
import java.time.Instant;

/**
 * The end of every run, however it ended (it ran here, it was cancelled while queued, or its node
 * died and another recovers it): close its open parts and write its last chunks ({@code error} or
 * {@code abort}, then {@code finish}), store the assistant message and the tool calls it leaves
 * waiting for the user, record the outcome, close the stream. In that order, so that a reader never
 * sees a run end before its message is kept, and a run is never marked ended before its stream says
 * how.
 */
final class RunFinalizer {
  static final String CANCELLED_TOOL = "Cancelled";

  /**
   * Runs one bookkeeping step: once, or until it gets through (a full disk), as the caller needs.
   */
  @FunctionalInterface
  interface Attempts {
    Attempts ONCE = (what, step) -> step.run();

    void attempt(String what, Runnable step);
  }

  private final RunStore runs;
  private final ChatStore chats;
  private final ToolWaitStore waits;
  private final Json json;
  private final Clock clock;
  private final RunTelemetry metrics;

  RunFinalizer(RunStores stores, Json json, Clock clock, RunTelemetry metrics) {
    this.runs = stores.runs();
    this.chats = stores.chats();
    this.waits = stores.waits();
    this.json = json;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Writes the stream's end, then {@link #settle settles} the run. */
  void finish(Run run, RunStream stream, RunOutcome outcome, Attempts attempts) {
    try {
      attempts.attempt(
          "write the end of its stream",
          () ->
              stream.end(
                  CANCELLED_TOOL, outcome.status() == RunStatus.COMPLETED, outcome.finalChunks()));
    } catch (RuntimeException e) {
      stream.writer().closeMirror();
      throw e;
    }
    settle(run, stream, outcome, attempts);
  }

  /**
   * The bookkeeping after a stream that has its end: the message, the outcome, the closed log; the
   * node's mirror is closed in any case, so that its readers do not wait on it.
   */
  void settle(Run run, RunStream stream, RunOutcome outcome, Attempts attempts) {
    try {
      attempts.attempt(
          "store the assistant message",
          () -> {
            ObjectNode assembled = stream.message().message();
            StoredMessage message =
                new StoredMessage(run.messageId(), "assistant", json.write(assembled));
            chats.upsert(run.chatId(), message, clock.instant());
            // why: before the run is marked ended, so whoever sees it ended sees what it waits on.
            waits.record(ToolWaits.in(run.chatId(), assembled, clock.instant()));
          });
      attempts.attempt(
          "mark the run " + outcome.status().wire(),
          () -> {
            Instant at = clock.instant();
            if (runs.finish(run.id(), outcome.status(), outcome.error(), at)) {
              metrics.ended(run, outcome.status(), at);
            }
          });
      attempts.attempt(
          "close its stream log",
          () -> {
            stream.flush();
            stream.writer().closeLog();
          });
    } finally {
      stream.writer().closeMirror();
    }
  }
}
