package dev.reprise.storage;

import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * A stream log that times its appends (each one durable when it returns, so this is the latency a
 * chunk waits before any reader sees it), tagged with the backend.
 */
public final class MeteredStreamLog implements StreamLog {
  private final StreamLog log;
  private final Timer appends;

  public MeteredStreamLog(StreamLog log, String backend, MeterRegistry registry) {
    this.log = log;
    this.appends =
        Timer.builder("reprise.stream.append")
            .description(
                "Appends to the durable log (one chunk or several of a run), until durable")
            .tag("backend", backend)
            .publishPercentileHistogram()
            .register(registry);
  }

  /** What a backend tells of its group commits: how many chunks each one wrote. */
  public static IntConsumer batchSizes(String backend, MeterRegistry registry) {
    DistributionSummary sizes =
        DistributionSummary.builder("reprise.stream.append.batch")
            .description("Appends written per group commit (an append may carry several chunks)")
            .tag("backend", backend)
            .register(registry);
    return sizes::record;
  }

  @Override
  public void create(String streamId, Instant now) {
    log.create(streamId, now);
  }

  @Override
  public void append(String streamId, LogEntry entry) {
    long start = System.nanoTime();
    log.append(streamId, entry);
    appends.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  /** Timed once: the entries are durable together. */
  @Override
  public void appendAll(String streamId, List<LogEntry> entries) {
    long start = System.nanoTime();
    log.appendAll(streamId, entries);
    appends.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  @Override
  public void close(String streamId, Instant now) {
    log.close(streamId, now);
  }

  @Override
  public List<LogEntry> read(String streamId, long fromIndex, int limit) {
    return log.read(streamId, fromIndex, limit);
  }

  @Override
  public Optional<StreamInfo> info(String streamId) {
    return log.info(streamId);
  }

  @Override
  public int deleteClosedBefore(Instant cutoff) {
    return log.deleteClosedBefore(cutoff);
  }

  @Override
  public void delete(String streamId) {
    log.delete(streamId);
  }
}
