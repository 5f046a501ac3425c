package dev.reprise.run;

import java.time.Duration;

/** How many runs one account may have live at once, and start within a sliding minute. */
public record RunQuota(int maxLive, int maxPerMinute) {
  public static final Duration WINDOW = Duration.ofMinutes(1);

  public RunQuota {
    if (maxLive < 1 || maxPerMinute < 1) {
      throw new IllegalArgumentException("run quotas must be at least 1");
    }
  }

  /** No practical limit (for tests and tools that start runs themselves). */
  public static RunQuota unlimited() {
    return new RunQuota(Integer.MAX_VALUE, Integer.MAX_VALUE);
  }
}
