package dev.reprise.model.agent;

import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Calls to a model provider: how many, how they ended, how long they took, the tokens they used.
 */
final class UpstreamMetrics {
  /** How a call ended. */
  enum Outcome {
    OK,
    RETRIED,
    FAILED,
    CANCELLED
  }

  private final MeterRegistry registry;
  private final String provider;
  private final String model;

  UpstreamMetrics(MeterRegistry registry, String modelId) {
    this.registry = registry;
    int slash = modelId.indexOf('/');
    this.provider = slash > 0 ? modelId.substring(0, slash) : modelId;
    this.model = modelId;
  }

  void call(Outcome outcome, long startNanos) {
    Timer.builder("reprise.model.calls")
        .description("Calls to a model provider, until their stream ended, by outcome")
        .tag("provider", provider)
        .tag("model", model)
        .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
        .publishPercentileHistogram()
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void tokens(TokenUsage usage) {
    if (usage == null) {
      return;
    }
    add("input", usage.inputTokenCount());
    add("output", usage.outputTokenCount());
  }

  private void add(String type, Integer count) {
    if (count != null && count > 0) {
      Counter.builder("reprise.model.tokens")
          .description("Tokens the providers reported, by direction")
          .tag("provider", provider)
          .tag("model", model)
          .tag("type", type)
          .register(registry)
          .increment(count);
    }
  }
}
