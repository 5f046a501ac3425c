package dev.reprise.model.agent;

import dev.langchain4j.model.output.TokenUsage;
import dev.reprise.model.ModelTelemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.concurrent.TimeUnit;

/**
 * Calls to a model provider: how many, how they ended, how long they took, the tokens they used;
 * and a span for each, a child of the run's.
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
  private final Tracer tracer;
  private final String provider;
  private final String model;

  UpstreamMetrics(ModelTelemetry telemetry, String modelId) {
    this.registry = telemetry.meters();
    this.tracer = telemetry.openTelemetry().getTracer("dev.reprise.model");
    int slash = modelId.indexOf('/');
    this.provider = slash > 0 ? modelId.substring(0, slash) : modelId;
    this.model = modelId;
  }

  /** The span of one call, current until it is closed. */
  Span start(int attempt) {
    return tracer
        .spanBuilder("chat " + model)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.system", provider)
        .setAttribute("gen_ai.request.model", model)
        .setAttribute("reprise.attempt", attempt)
        .startSpan();
  }

  static void end(Span span, Outcome outcome, TokenUsage usage) {
    span.setAttribute("reprise.outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
    if (usage != null && usage.inputTokenCount() != null) {
      span.setAttribute("gen_ai.usage.input_tokens", usage.inputTokenCount());
    }
    if (usage != null && usage.outputTokenCount() != null) {
      span.setAttribute("gen_ai.usage.output_tokens", usage.outputTokenCount());
    }
    if (outcome == Outcome.FAILED || outcome == Outcome.RETRIED) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
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
