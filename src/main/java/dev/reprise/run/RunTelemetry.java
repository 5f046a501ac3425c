package dev.reprise.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What an operator watches of runs: started, ended by status, how long they took and how long the
 * first token took, how many run here and wait in the queue, and the runs this node finished for a
 * node that died (meter tags are low-cardinality: never a chat, run or account id); and each run's
 * span, in the trace of the request that started it.
 */
public final class RunTelemetry {
  private final MeterRegistry registry;
  private final RunTracing tracing;

  public RunTelemetry(MeterRegistry registry) {
    this(registry, OpenTelemetry.noop());
  }

  public RunTelemetry(MeterRegistry registry, OpenTelemetry openTelemetry) {
    this.registry = registry;
    this.tracing = new RunTracing(openTelemetry);
  }

  RunTracing tracing() {
    return tracing;
  }

  /** The kind of a run, as the {@code kind} tag says it. */
  enum Kind {
    TURN,
    HEADLESS,
    CONTINUATION;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  void admitted(Kind kind) {
    Counter.builder("reprise.runs.started")
        .description("Runs admitted (queued), by kind")
        .tag("kind", kind.tag())
        .register(registry)
        .increment();
  }

  void ended(Run run, RunStatus status, Instant at) {
    Counter.builder("reprise.runs.ended")
        .description("Runs that ended, by status (cancelled: stopped by a user)")
        .tag("status", status.wire())
        .register(registry)
        .increment();
    Instant from = run.startedAt() != null ? run.startedAt() : run.createdAt();
    Timer.builder("reprise.run.duration")
        .description("From a run's start (or admission, if it never started) to its end")
        .tag("status", status.wire())
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.between(from, at));
  }

  void firstContent(Duration sinceStart) {
    Timer.builder("reprise.run.first.content")
        .description(
            "From a run's start on a node to the model's first text, reasoning or tool call")
        .publishPercentileHistogram()
        .register(registry)
        .record(sinceStart);
  }

  /** A run of a dead node that this node took over: queued again, or finalized. */
  void recovered(String outcome) {
    Counter.builder("reprise.runs.recovered")
        .description("Runs of a dead node taken over here, by what was done with them")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  void gauges(Supplier<Number> running, Supplier<Number> queued) {
    Gauge.builder("reprise.runs.running", running)
        .description("Runs executing on this node")
        .register(registry);
    Gauge.builder("reprise.runs.queued", queued)
        .description("Runs waiting for a free slot, on every node")
        .register(registry);
  }
}
