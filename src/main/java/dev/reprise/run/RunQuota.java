package dev.reprise.run;

import java.time.Duration;

/**
 * How many runs one account may have live at once, and start within a sliding minute; {@link
 * #UNLIMITED} for no limit.
 */
public record RunQuota(int maxLive, int maxPerMinute) {
  public static final Duration WINDOW = Duration.ofMinutes(1);

  /** A limit that is off: nothing is counted for it. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  public RunQuota {
    if (maxLive < 1 || maxPerMinute < 1) {
      throw new IllegalArgumentException("run quotas must be at least 1");
    }
  }

  /** No practical limit (for tests and tools that start runs themselves). */
  public static RunQuota unlimited() {
    return new RunQuota(UNLIMITED, UNLIMITED);
  }

  public boolean limitsLive() {
    return maxLive != UNLIMITED;
  }

  public boolean limitsPerMinute() {
    return maxPerMinute != UNLIMITED;
  }
}
