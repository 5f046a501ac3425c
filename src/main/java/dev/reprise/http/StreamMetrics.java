package dev.reprise.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** The streams this node serves: how many readers are open, and how resumes were answered. */
final class StreamMetrics {
  /** How a resume request was answered. */
  enum Resume {
    /** 200, following a live run. */
    LIVE,
    /** 200, replaying a run that had ended. */
    REPLAY,
    /** 204, nothing to resume. */
    NOTHING,
    /** 4xx. */
    REFUSED;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final AtomicInteger open = new AtomicInteger();

  StreamMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("reprise.readers.open", open, AtomicInteger::get)
        .description("Streams this node is writing to clients now")
        .register(registry);
  }

  void resumed(Resume outcome) {
    Counter.builder("reprise.resume.requests")
        .description("Resume requests (GET /api/chat/{id}/stream), by how they were answered")
        .tag("outcome", outcome.tag())
        .register(registry)
        .increment();
  }

  /** Counts {@code stream} as an open reader while it runs. */
  void reading(Runnable stream) {
    open.incrementAndGet();
    try {
      stream.run();
    } finally {
      open.decrementAndGet();
    }
  }
}
