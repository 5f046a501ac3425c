package dev.reprise.config;

import java.time.Duration;

/**
 * What one account may use at once, answered with 429 (and Retry-After) or 413 when exceeded. Live
 * runs, runs per minute and stream readers are counted across every node sharing the storage; each
 * of the three may be {@code off} ({@link #OFF}), for one trusted account that fronts many users.
 */
public record LimitsConfig(
    int liveRuns,
    int runsPerMinute,
    int messagesPerRequest,
    int messageBytes,
    int streamReaders,
    Duration streamWriteTimeout) {

  /** The value of a limit set to {@code off}: nothing is counted for it. */
  public static final int OFF = Integer.MAX_VALUE;

  public static final int DEFAULT_LIVE_RUNS = 8;
  public static final int DEFAULT_RUNS_PER_MINUTE = 60;
  public static final int DEFAULT_MESSAGES_PER_REQUEST = 500;
  public static final int DEFAULT_MESSAGE_BYTES = 256 * 1024;
  public static final int DEFAULT_STREAM_READERS = 32;
  public static final Duration DEFAULT_STREAM_WRITE_TIMEOUT = Duration.ofSeconds(30);

  public LimitsConfig {
    atLeast("REPRISE_LIMIT_LIVE_RUNS", liveRuns, 1);
    atLeast("REPRISE_LIMIT_RUNS_PER_MINUTE", runsPerMinute, 1);
    atLeast("REPRISE_LIMIT_MESSAGES", messagesPerRequest, 1);
    atLeast("REPRISE_LIMIT_MESSAGE_BYTES", messageBytes, 64);
    atLeast("REPRISE_LIMIT_STREAM_READERS", streamReaders, 1);
    if (streamWriteTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      throw new ConfigException("REPRISE_STREAM_WRITE_TIMEOUT must be at least 100ms");
    }
  }

  public static LimitsConfig defaults() {
    return new LimitsConfig(
        DEFAULT_LIVE_RUNS,
        DEFAULT_RUNS_PER_MINUTE,
        DEFAULT_MESSAGES_PER_REQUEST,
        DEFAULT_MESSAGE_BYTES,
        DEFAULT_STREAM_READERS,
        DEFAULT_STREAM_WRITE_TIMEOUT);
  }

  static LimitsConfig from(Env e) {
    return new LimitsConfig(
        e.limit("REPRISE_LIMIT_LIVE_RUNS", DEFAULT_LIVE_RUNS, 1),
        e.limit("REPRISE_LIMIT_RUNS_PER_MINUTE", DEFAULT_RUNS_PER_MINUTE, 1),
        e.integer("REPRISE_LIMIT_MESSAGES", DEFAULT_MESSAGES_PER_REQUEST),
        e.integer("REPRISE_LIMIT_MESSAGE_BYTES", DEFAULT_MESSAGE_BYTES),
        e.limit("REPRISE_LIMIT_STREAM_READERS", DEFAULT_STREAM_READERS, 1),
        e.duration("REPRISE_STREAM_WRITE_TIMEOUT", DEFAULT_STREAM_WRITE_TIMEOUT));
  }

  private static void atLeast(String name, int value, int min) {
    if (value < min) {
      throw new ConfigException(name + " must be at least " + min + ", got " + value);
    }
  }
}
