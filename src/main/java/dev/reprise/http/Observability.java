package dev.reprise.http;

import dev.reprise.config.MetricsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.function.Supplier;

/**
 * What the HTTP layer records and serves for operators: the registry its meters go to, the
 * Prometheus text of every meter of the node, and the tracing its request spans go to.
 */
public record Observability(
    MeterRegistry meters,
    Supplier<String> scrape,
    MetricsConfig config,
    OpenTelemetry openTelemetry,
    boolean accessLog) {}
