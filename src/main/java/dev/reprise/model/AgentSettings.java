package dev.reprise.model;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How the agent loop behaves for every real model.
 *
 * @param maxSteps model calls per answer; the loop stops there even if the model wants more tools
 * @param contextTokens estimated token budget for the history sent with each call
 * @param maxOutputTokens cap on each call's output, when set
 * @param retries attempts after the first when a call fails before any output
 * @param retryBackoff the first wait between attempts; it doubles on each retry
 * @param retryMaxWait no wait between attempts is longer, whatever the provider asks
 * @param timeout longest wait for the provider's response, and for each stream event after it
 * @param toolTimeout longest wait for one tool call
 */
public record AgentSettings(
    int maxSteps,
    int contextTokens,
    OptionalInt maxOutputTokens,
    int retries,
    Duration retryBackoff,
    Duration retryMaxWait,
    Duration timeout,
    Duration toolTimeout) {

  public static final int DEFAULT_MAX_STEPS = 10;
  public static final int DEFAULT_CONTEXT_TOKENS = 100_000;
  public static final int DEFAULT_RETRIES = 2;
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RETRY_MAX_WAIT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TOOL_TIMEOUT = Duration.ofSeconds(30);

  public AgentSettings {
    if (timeout.isZero()
        || timeout.isNegative()
        || toolTimeout.isZero()
        || toolTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts must be greater than 0");
    }
  }

  /** The settings with every default. */
  public static AgentSettings defaults() {
    return new AgentSettings(
        DEFAULT_MAX_STEPS,
        DEFAULT_CONTEXT_TOKENS,
        OptionalInt.empty(),
        DEFAULT_RETRIES,
        DEFAULT_RETRY_BACKOFF,
        DEFAULT_RETRY_MAX_WAIT,
        DEFAULT_TIMEOUT,
        DEFAULT_TOOL_TIMEOUT);
  }
}
