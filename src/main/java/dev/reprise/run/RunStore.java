package dev.reprise.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs and their state transitions. Every transition is a compare-and-set on the current status, so
 * that several nodes sharing the store never both take, or both end, the same run.
 */
public interface RunStore {

  /** Inserts a queued run unless its chat already has a live one; false in that case. */
  boolean insertIfChatIdle(Run run);

  /**
   * Inserts a queued run if its chat has no live run and its account is within {@code quota}: fewer
   * than {@code maxLive} live runs, and fewer than {@code maxPerMinute} runs admitted in the minute
   * before the run's creation time. Runs admitted count towards the minute even once their chat is
   * deleted. Atomic across every node sharing the store: concurrent admissions for one account
   * never exceed the quota.
   */
  default Admission admit(Run run, RunQuota quota) {
    return admit(run, quota, Turn.NONE);
  }

  /**
   * {@link #admit(Run, RunQuota)}, and in the same transaction, only if the run is admitted, stores
   * the turn's messages in the chat: a refused request writes nothing. {@link Admission.ChatGone}
   * when the chat no longer exists.
   *
   * <p>A turn with answers claims the tool calls it answers, exactly once across every node: an
   * unknown one is {@link Admission.NoSuchWait}, one answered or cancelled before is {@link
   * Admission.AlreadyAnswered}. When calls of the message still wait after the answers, the answers
   * are kept and no run is inserted ({@link Admission.StillWaiting}); otherwise the run continues
   * the message (its id is the message's) and gets the answers. Any other admitted run cancels what
   * still waits in the chat: the user wrote something else instead of answering.
   *
   * <p>A run read back has {@link Run#continuesMessage} set exactly when it has a base message.
   *
   * @throws IllegalArgumentException when the run is {@link Run#continuing} but its turn answers
   *     nothing, or the other way round
   */
  Admission admit(Run run, RunQuota quota, Turn turn);

  /**
   * What {@link #admit} would answer now for a new run of the account on an idle chat, without
   * inserting anything ({@link Admission.Admitted}, {@link Admission.TooManyLive} or {@link
   * Admission.TooFrequent}): lets a request be refused before it writes anything.
   */
  Admission quotaCheck(String accountId, RunQuota quota, Instant now);

  Optional<Run> find(String runId);

  /** How many runs wait in the queue, on every node (for the operator's gauge). */
  long countQueued();

  /**
   * For a run that continues an answer after the user answered its tool calls, the assistant
   * message as it stood when the run was admitted; empty for any other run. Only worth asking of a
   * run that {@link Run#continuesMessage}.
   */
  Optional<String> baseMessage(String runId);

  /** The chat's queued or running run, if any. */
  Optional<Run> findLive(String chatId);

  /**
   * The chat's live run if it has one, else its most recently created run: the run a reconnect with
   * a start index reads. One query, because a resume is on the path to the first byte.
   */
  Optional<Run> findLiveOrLatest(String chatId);

  /** Every run of the chat, oldest first. */
  List<Run> findByChat(String chatId);

  /** Every live run of the account (for "is streaming" flags). */
  List<Run> findLiveByAccount(String accountId);

  /** Every running run, whoever owns it (for recovery of a single node at start-up). */
  List<Run> findAllRunning();

  /**
   * Takes up to {@code max} of the oldest queued runs (by creation time, then id) for {@code node},
   * in one transaction: each becomes running, started at {@code now} and owned by the node until
   * {@code leaseUntil}. Returns them oldest first; empty when none is queued. Queued runs beyond
   * {@code max} stay queued. Two nodes asking at once never get the same run.
   *
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  List<Run> claimNext(String node, Instant now, Instant leaseUntil, int max);

  /** Takes this queued run for {@code node}; false if it was no longer queued. */
  boolean claim(String runId, String node, Instant now, Instant leaseUntil);

  /** Extends the leases of the node's live runs; returns the ids it still owns. */
  Set<String> renewLeases(String node, Instant leaseUntil);

  /**
   * Takes over live runs whose owner's lease ran out before {@code now} (their node died): they are
   * owned by {@code node} until {@code leaseUntil} and returned for recovery.
   */
  List<Run> claimExpired(String node, Instant now, Instant leaseUntil);

  /** running → queued, with no owner: a run that had written nothing starts again on any node. */
  boolean requeue(String runId);

  /** live → {@code status} (terminal); false if the run had already ended. */
  boolean finish(String runId, RunStatus status, String error, Instant at);

  /** Records that a stop was asked for, so that the run's owner can see it. */
  void requestCancel(String runId);

  /** The node's live runs for which a stop was asked. */
  List<String> cancelRequested(String node);
}
