package dev.reprise.run;

import java.time.Instant;
import java.util.List;

/** Whether a new run was let in, and if not, why. */
public sealed interface Admission {

  /** The run was inserted, queued. */
  record Admitted() implements Admission {}

  /** The chat already has a live run. */
  record ChatBusy() implements Admission {}

  /** The chat no longer exists (deleted while the run was being started). */
  record ChatGone() implements Admission {}

  /** The account already has {@code limit} live runs. */
  record TooManyLive(int limit) implements Admission {}

  /**
   * The account started {@code limit} runs in the last minute; one more fits at {@code retryAt}.
   */
  record TooFrequent(int limit, Instant retryAt) implements Admission {}

  /** The turn answers a tool call that the chat does not wait on (none has that id). */
  record NoSuchWait(String id) implements Admission {}

  /** The tool call was answered already, or cancelled; the first answer won. */
  record AlreadyAnswered(String id) implements Admission {}

  /** The answer does not fit the call: a tool output for an approval, or the reverse. */
  record WrongAnswer(String id) implements Admission {}

  /** The turn had to answer every pending call of the message; these were left out. */
  record Unanswered(List<String> ids) implements Admission {}

  /** The answers were kept; the message still waits on these before its answer goes on. */
  record StillWaiting(List<String> ids) implements Admission {}
}
