package dev.reprise.run;

import java.time.Instant;

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
}
