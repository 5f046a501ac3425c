package dev.reprise.model;

import dev.reprise.config.ConfigException;
import dev.reprise.config.Env;
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
    requirePositive("REPRISE_MODEL_TIMEOUT", timeout);
    requirePositive("REPRISE_TOOL_TIMEOUT", toolTimeout);
  }

  public static AgentSettings defaults() {
    return from(new Env(java.util.Map.of()));
  }

  static AgentSettings from(Env env) {
    int maxOutput = env.integer("REPRISE_MAX_OUTPUT_TOKENS", 0, 0);
    return new AgentSettings(
        env.integer("REPRISE_MAX_STEPS", DEFAULT_MAX_STEPS, 1),
        env.integer("REPRISE_CONTEXT_TOKENS", DEFAULT_CONTEXT_TOKENS, 1000),
        maxOutput == 0 ? OptionalInt.empty() : OptionalInt.of(maxOutput),
        env.integer("REPRISE_MODEL_RETRIES", DEFAULT_RETRIES, 0),
        env.duration("REPRISE_MODEL_RETRY_BACKOFF", DEFAULT_RETRY_BACKOFF),
        env.duration("REPRISE_MODEL_RETRY_MAX_WAIT", DEFAULT_RETRY_MAX_WAIT),
        env.duration("REPRISE_MODEL_TIMEOUT", DEFAULT_TIMEOUT),
        env.duration("REPRISE_TOOL_TIMEOUT", DEFAULT_TOOL_TIMEOUT));
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new ConfigException(name + " must be greater than 0");
    }
  }
}
