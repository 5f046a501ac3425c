package dev.reprise.http;

import dev.reprise.auth.Principal;
import dev.reprise.config.LimitsConfig;
import dev.reprise.limit.ReaderLimiter;
import java.time.Duration;

/**
 * The stream readers an account may have open at once, over every node: one more is a 429. With the
 * limit off nothing is counted (no shared counter to update per reader).
 */
final class ReaderSlots {
  private static final Duration RETRY = Duration.ofSeconds(5);
  private static final ReaderLimiter.Lease UNCOUNTED = () -> {};

  private final ReaderLimiter limiter;
  private final int max;

  ReaderSlots(ReaderLimiter limiter, int max) {
    this.limiter = limiter;
    this.max = max;
  }

  /** A reader slot of the caller's account, to close when the response ends. */
  ReaderLimiter.Lease take(Principal caller) {
    if (max == LimitsConfig.OFF) {
      return UNCOUNTED;
    }
    return limiter
        .tryAcquire(caller.accountId(), max)
        .orElseThrow(
            () ->
                ApiException.tooManyRequests(
                    "Too many open streams for this account (at most " + max + ")", RETRY));
  }
}
