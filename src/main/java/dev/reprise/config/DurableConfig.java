package dev.reprise.config;

import java.time.Duration;

/**
 * The Durable Streams surface under {@code /ds}.
 *
 * @param enabled whether it is served
 * @param maxStreams streams per account
 * @param maxAccountBytes bytes the streams of one account may hold
 * @param maxAppendBytes bytes per request body
 * @param longPollTimeout how long a long-poll waits before it answers 204
 * @param sseMaxDuration how long one SSE response lasts before the server ends it
 * @param maxCapabilityLifetime the longest a capability URL may live
 */
public record DurableConfig(
    boolean enabled,
    int maxStreams,
    long maxAccountBytes,
    int maxAppendBytes,
    Duration longPollTimeout,
    Duration sseMaxDuration,
    Duration maxCapabilityLifetime) {
  public static final int DEFAULT_MAX_STREAMS = 10_000;
  public static final long DEFAULT_MAX_ACCOUNT_BYTES = 1L << 30;
  public static final int DEFAULT_MAX_APPEND_BYTES = 4 * 1024 * 1024;
  public static final Duration DEFAULT_LONG_POLL = Duration.ofSeconds(20);
  public static final Duration DEFAULT_SSE_MAX = Duration.ofSeconds(60);
  public static final Duration DEFAULT_CAPABILITY_MAX = Duration.ofDays(7);

  public DurableConfig {
    if (maxStreams < 1) {
      throw new ConfigException("REPRISE_DS_MAX_STREAMS must be at least 1");
    }
    if (maxAccountBytes < 1024) {
      throw new ConfigException("REPRISE_DS_MAX_ACCOUNT_BYTES must be at least 1024");
    }
    if (maxAppendBytes < 1024) {
      throw new ConfigException("REPRISE_DS_MAX_APPEND_BYTES must be at least 1024");
    }
    requirePositive("REPRISE_DS_LONG_POLL_MS", longPollTimeout);
    requirePositive("REPRISE_DS_SSE_MAX_MS", sseMaxDuration);
    requirePositive("REPRISE_DS_CAPABILITY_MAX_TTL", maxCapabilityLifetime);
  }

  static DurableConfig from(Env e) {
    return new DurableConfig(
        e.bool("REPRISE_DS_ENABLED", true),
        e.integer("REPRISE_DS_MAX_STREAMS", DEFAULT_MAX_STREAMS),
        e.longNumber("REPRISE_DS_MAX_ACCOUNT_BYTES", DEFAULT_MAX_ACCOUNT_BYTES),
        e.integer("REPRISE_DS_MAX_APPEND_BYTES", DEFAULT_MAX_APPEND_BYTES),
        e.millis("REPRISE_DS_LONG_POLL_MS", DEFAULT_LONG_POLL),
        e.millis("REPRISE_DS_SSE_MAX_MS", DEFAULT_SSE_MAX),
        e.duration("REPRISE_DS_CAPABILITY_MAX_TTL", DEFAULT_CAPABILITY_MAX));
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException(name + " must be greater than 0");
    }
  }
}
