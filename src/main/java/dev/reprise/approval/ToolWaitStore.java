package dev.reprise.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tool calls that wait for the user. They are answered through run admission ({@code
 * RunStore.admit} with a turn that answers), so that claiming an answer and starting the run that
 * continues the message are one atomic step; this port records, reads and cancels them.
 */
public interface ToolWaitStore {
  /** Why calls end unanswered when the user wrote a new message instead. */
  String SUPERSEDED = "A new message was sent instead of an answer.";

  /** Why calls end unanswered when the user stopped the chat. */
  String STOPPED = "The chat was stopped before this was answered.";

  /** Records the waits an answer left; a wait already recorded (by its id) is left as it is. */
  void record(List<ToolWait> waits);

  Optional<ToolWait> find(String chatId, String id);

  /** The chat's pending waits, oldest first. */
  List<ToolWait> pending(String chatId);

  /** The ids of the account's chats that have a pending wait. */
  Set<String> waitingChats(String accountId);

  /** The waits whose answers the run continues with, in the order they were recorded. */
  List<ToolWait> answeredBy(String runId);

  /**
   * Cancels the chat's pending waits and returns them; atomic with answering them, so of a stop and
   * an answer that race, exactly one wins each wait. In the same step, their calls end in the
   * stored messages: an approval denied with {@code reason}, a client-side tool failed with it.
   */
  List<ToolWait> cancelPending(String chatId, String reason, Instant at);
}
