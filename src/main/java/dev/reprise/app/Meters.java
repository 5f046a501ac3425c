package dev.reprise.app;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's meter registry, in the Prometheus format, with the JVM's and the process's own meters
 * (memory, GC, threads, classes, CPU, open files, uptime). Micrometer rather than Helidon's
 * metrics: the run, stream and storage packages record meters too, and must not depend on Helidon.
 */
record Meters(PrometheusMeterRegistry registry, JvmGcMetrics gc) implements AutoCloseable {

  static Meters open() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new Meters(registry, gc);
  }

  /** Stops listening to the JVM's GC notifications, then closes the registry. */
  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
