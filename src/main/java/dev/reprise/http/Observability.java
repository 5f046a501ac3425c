package dev.reprise.http;

import dev.reprise.config.MetricsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * What the HTTP layer records and serves for operators: the registry its meters go to, and the
 * Prometheus text of every meter of the node.
 */
public record Observability(MeterRegistry meters, Supplier<String> scrape, MetricsConfig config) {}
