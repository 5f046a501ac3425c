package dev.reprise.run;

import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.protocol.UiChunk;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals with runs whose process died. A run that had written no chunk is queued again. A run that
 * had written chunks is finalized: its open parts are closed, {@code error} and {@code finish} are
 * appended, its partial assistant message is rebuilt from the log and stored, and it is marked
 * failed. A run whose stream already ended (it died between {@code finish} and its last
 * bookkeeping) only gets that bookkeeping.
 */
public final class RunRecovery {
  public static final String LOST_NODE_ERROR =
      "The server stopped while this answer was being generated.";
  private static final Logger LOG = LoggerFactory.getLogger(RunRecovery.class);
  private static final int PAGE = 1000;

  private final RunStore runs;
  private final StreamLog log;
  private final RunStreams streams;
  private final Json json;
  private final Clock clock;
  private final RunFinalizer finalizer;

  private final RunTelemetry metrics;

  public RunRecovery(
      RunStores stores,
      StreamLog log,
      StreamHub hub,
      Json json,
      Clock clock,
      RunTelemetry metrics) {
    this.runs = stores.runs();
    this.log = log;
    this.streams = // why: recovery writes only a stream's end; nothing there to merge.
        new RunStreams(stores, log, hub, json, clock, Coalescing.OFF);
    this.json = json;
    this.clock = clock;
    this.finalizer = new RunFinalizer(stores, json, clock, metrics);
    this.metrics = metrics;
  }

  /**
   * Recovers every running run in the store; for a single node, at start-up, when no other process
   * can own one. Queued runs need nothing: they are simply claimed again.
   */
  public int recoverAll() {
    int recovered = 0;
    for (Run run : runs.findAllRunning()) {
      recover(run);
      recovered++;
    }
    return recovered;
  }

  public void recover(Run run) {
    Optional<StreamInfo> info = log.info(run.id());
    if (info.isEmpty()) {
      log.create(run.id(), clock.instant());
    }
    if (info.isEmpty() || info.get().tailIndex() < 0) {
      LOG.info("run {} had not written anything; queueing it again", run.id());
      runs.requeue(run.id());
      metrics.recovered("requeued");
      return;
    }
    long tail = info.get().tailIndex();
    LOG.info("run {} was cut off at chunk {}; finalizing it", run.id(), tail);
    metrics.recovered("finalized");
    MessageAssembler message = streams.assembler(run, streams.continuation(run));
    RunOutcome ended = endedWith(replay(run.id(), message));
    RunStream stream = streams.openAt(run, tail + 1, message);
    if (ended != null) {
      finalizer.settle(run, stream, ended, RunFinalizer.Attempts.ONCE);
    } else if (info.get().closed()) {
      finalizer.settle(run, stream, RunOutcome.failed(LOST_NODE_ERROR), RunFinalizer.Attempts.ONCE);
    } else {
      finalizer.finish(run, stream, RunOutcome.failed(LOST_NODE_ERROR), RunFinalizer.Attempts.ONCE);
    }
  }

  private List<UiChunk> replay(String streamId, MessageAssembler message) {
    List<UiChunk> chunks = new ArrayList<>();
    long next = 0;
    while (true) {
      List<LogEntry> page = log.read(streamId, next, PAGE);
      for (LogEntry entry : page) {
        UiChunk chunk = json.chunk(entry.data());
        message.accept(chunk);
        chunks.add(chunk);
      }
      if (page.size() < PAGE) {
        return chunks;
      }
      next += page.size();
    }
  }

  /**
   * The outcome that the stream's own last chunks state, or null if it never reached {@code
   * finish}.
   */
  private static RunOutcome endedWith(List<UiChunk> chunks) {
    if (chunks.isEmpty() || !(chunks.getLast() instanceof UiChunk.Finish finish)) {
      return null;
    }
    UiChunk before = chunks.size() > 1 ? chunks.get(chunks.size() - 2) : null;
    return switch (before) {
      case UiChunk.Abort ignored -> RunOutcome.cancelled();
      case UiChunk.Error error -> RunOutcome.failed(error.errorText());
      case null, default -> RunOutcome.completed(finish.finishReason());
    };
  }
}
