package dev.reprise.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs and their state transitions. Every transition is a compare-and-set on the current status.
 */
public interface RunStore {

  /** Inserts a queued run unless its chat already has a live one; false in that case. */
  boolean insertIfChatIdle(Run run);

  Optional<Run> find(String runId);

  /** The chat's queued or running run, if any. */
  Optional<Run> findLive(String chatId);

  /** The chat's most recently created run, if any. */
  Optional<Run> findLatest(String chatId);

  /** Every run of the chat, oldest first. */
  List<Run> findByChat(String chatId);

  /** Every live run of the account (for "is streaming" flags). */
  List<Run> findLiveByAccount(String accountId);

  /** Every live run (for recovery at start-up). */
  List<Run> findAllLive();

  /** queued → running; false if the run was no longer queued. */
  boolean markRunning(String runId, Instant at);

  /**
   * running → queued, for a run that is started again after its node died before its first chunk.
   */
  boolean requeue(String runId);

  /** live → {@code status} (terminal); false if the run had already ended. */
  boolean finish(String runId, RunStatus status, String error, Instant at);

  /** Records that a stop was asked for, so that the run's owner can see it. */
  void requestCancel(String runId);

  boolean cancelRequested(String runId);
}
