package dev.reprise.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

/** Where the models record their provider calls and tool calls: meters, and spans. */
public record ModelTelemetry(MeterRegistry meters, OpenTelemetry openTelemetry) {

  /** Recorded nowhere anyone reads. */
  public static ModelTelemetry none() {
    return new ModelTelemetry(new SimpleMeterRegistry(), OpenTelemetry.noop());
  }
}
