package dev.reprise.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ModelException;
import dev.reprise.model.ModelRequest;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.UiChunk;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run on this node, on its own virtual thread: wait for a model slot, stream the answer, and
 * end the stream with {@code finish} whatever happens — completed, failed ({@code error}) or
 * stopped ({@code abort}). Only then is the assistant message stored and the run marked terminal.
 */
final class RunExecution implements Runnable {
  static final String CANCELLED_TOOL = "Cancelled";
  static final String INTERNAL_ERROR = "An error occurred.";
  static final String SHUTDOWN_ERROR = "The server shut down before this answer was finished.";
  private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);

  private final Run run;
  private final RunStream stream;
  private final Optional<ChatModel> model;
  private final RunStore runs;
  private final ChatStore chats;
  private final Json json;
  private final Clock clock;
  private final Semaphore modelSlots;
  private final Runnable onDone;
  private final Cancellation cancellation = new Cancellation();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean started;
  private volatile boolean shuttingDown;

  RunExecution(
      Run run,
      RunStream stream,
      Optional<ChatModel> model,
      RunStore runs,
      ChatStore chats,
      Json json,
      Clock clock,
      Semaphore modelSlots,
      Runnable onDone) {
    this.run = run;
    this.stream = stream;
    this.model = model;
    this.runs = runs;
    this.chats = chats;
    this.json = json;
    this.clock = clock;
    this.modelSlots = modelSlots;
    this.onDone = onDone;
  }

  void cancel() {
    cancellation.cancel();
  }

  /**
   * Ends the run for a shutdown: a running one is finalized as failed; a queued one is left queued,
   * untouched, so that the next start of a node picks it up.
   */
  void shutdown() {
    shuttingDown = true;
    cancellation.cancel();
  }

  boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void run() {
    RunOutcome outcome;
    boolean holdsSlot = false;
    try {
      holdsSlot = waitForSlot();
      if (!holdsSlot && shuttingDown) {
        onDone.run();
        done.countDown();
        return;
      }
      outcome = holdsSlot ? produce() : RunOutcome.cancelled();
    } catch (RuntimeException e) {
      LOG.error("run {} failed inside reprise", run.id(), e);
      outcome = RunOutcome.failed(INTERNAL_ERROR);
    } finally {
      if (holdsSlot) {
        modelSlots.release();
      }
    }
    // why: a stop may have interrupted this thread; clear it so that the final writes are not cut
    // short.
    Thread.interrupted();
    try {
      ensureStarted();
      stream.end(CANCELLED_TOOL, outcome.finalChunks());
    } catch (RuntimeException e) {
      LOG.error("run {}: could not write the end of its stream", run.id(), e);
      if (outcome.status() != RunStatus.FAILED) {
        outcome = RunOutcome.failed(INTERNAL_ERROR);
      }
    }
    settle(outcome);
  }

  boolean isQueued() {
    return !started;
  }

  private boolean waitForSlot() {
    Thread self = Thread.currentThread();
    cancellation.onCancel(self::interrupt);
    try {
      modelSlots.acquire();
    } catch (InterruptedException e) {
      return false;
    }
    if (cancellation.isCancelled()) {
      modelSlots.release();
      return false;
    }
    return true;
  }

  private void ensureStarted() {
    if (!started) {
      started = true;
      stream.emit(new UiChunk.Start(run.messageId()));
    }
  }

  private RunOutcome produce() {
    runs.markRunning(run.id(), clock.instant());
    ensureStarted();
    if (model.isEmpty()) {
      return RunOutcome.failed("The model '" + run.model() + "' is not configured.");
    }
    try {
      List<JsonNode> history =
          chats.messages(run.chatId()).stream().map(m -> json.tree(m.body())).toList();
      ModelRequest request = new ModelRequest(run.chatId(), run.messageId(), history);
      return RunOutcome.completed(model.get().respond(request, stream, cancellation));
    } catch (CancelledException e) {
      return shuttingDown ? RunOutcome.failed(SHUTDOWN_ERROR) : RunOutcome.cancelled();
    } catch (ModelException e) {
      return RunOutcome.failed(e.getMessage());
    }
  }

  private void settle(RunOutcome outcome) {
    try {
      StoredMessage message =
          new StoredMessage(run.messageId(), "assistant", json.write(stream.message().message()));
      chats.upsert(run.chatId(), message, clock.instant());
      chats.touch(run.chatId(), clock.instant());
    } catch (RuntimeException e) {
      LOG.error("run {}: could not store the assistant message", run.id(), e);
    }
    try {
      runs.finish(run.id(), outcome.status(), outcome.error(), clock.instant());
    } finally {
      try {
        stream.writer().close();
      } finally {
        onDone.run();
        done.countDown();
      }
    }
  }
}
