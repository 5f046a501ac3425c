package dev.reprise.run;

import java.time.Duration;

/** The account is over one of its run quotas; the client may retry after {@code retryAfter}. */
public final class RunLimitException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  public RunLimitException(String message, Duration retryAfter) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
