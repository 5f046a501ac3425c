package dev.reprise.durable;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cursors of live responses, which let CDNs collapse the requests of many readers without
 * serving one a stale answer twice: the number of 20-second intervals since 2024-10-09, and past a
 * cursor the client already holds, a later one by a random 1 s to 1 h.
 */
public final class DsCursor {
  private static final Instant EPOCH = Instant.parse("2024-10-09T00:00:00Z");
  private static final long INTERVAL_SECONDS = 20;
  private static final long MAX_JITTER_SECONDS = 3600;

  private final Clock clock;

  public DsCursor(Clock clock) {
    this.clock = clock;
  }

  /** The cursor for a response to a request that carried {@code clientCursor} (or null). */
  public String next(String clientCursor) {
    long current = (clock.instant().getEpochSecond() - EPOCH.getEpochSecond()) / INTERVAL_SECONDS;
    if (clientCursor == null) {
      return Long.toString(current);
    }
    long client;
    try {
      client = Long.parseLong(clientCursor);
    } catch (NumberFormatException e) {
      return Long.toString(current);
    }
    if (client < current) {
      return Long.toString(current);
    }
    long jitterSeconds = 1 + ThreadLocalRandom.current().nextLong(MAX_JITTER_SECONDS);
    long intervals = Math.max(1, (jitterSeconds + INTERVAL_SECONDS - 1) / INTERVAL_SECONDS);
    return Long.toString(client + intervals);
  }
}
