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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The node's meter registry, in the Prometheus format, with the JVM's and the process's own meters
 * (memory, GC, threads, classes, CPU, open files, uptime). Micrometer rather than Helidon's
 * metrics: the run, stream and storage packages record meters too, and must not depend on Helidon.
 */
record Meters(PrometheusMeterRegistry registry, JvmGcMetrics gc, ExecutorService scraper)
    implements AutoCloseable {

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
    ExecutorService scraper =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("reprise-metrics-scrape").daemon().factory());
    return new Meters(registry, gc, scraper);
  }

  /**
   * Every meter, in the Prometheus text format. Written on a platform thread: on a virtual thread
   * the JDK's {@code BufferedWriter} starts at 512 chars and copies itself to grow by each write
   * that does not fit, which made one scrape allocate about 20 MB ({@code MetersTest}).
   */
  String scrape() {
    Future<String> text = scraper.submit(() -> registry.scrape());
    try {
      return text.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the metrics scrape failed", e.getCause());
    } catch (InterruptedException e) {
      text.cancel(false);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while scraping the metrics", e);
    }
  }

  /**
   * Stops the scrape thread and listening to the JVM's GC notifications, then closes the registry.
   */
  @Override
  public void close() {
    scraper.shutdownNow();
    gc.close();
    registry.close();
  }
}
