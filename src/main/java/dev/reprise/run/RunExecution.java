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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run that this node has claimed, on its own virtual thread: stream the answer, and end the
 * stream with {@code finish} whatever happens — completed, failed ({@code error}) or stopped
 * ({@code abort}). Only then is the assistant message stored and the run marked terminal.
 */
final class RunExecution implements Runnable {
  static final String CANCELLED_TOOL = "Cancelled";
  static final String INTERNAL_ERROR = "An error occurred.";
  static final String SHUTDOWN_ERROR = "The server shut down before this answer was finished.";
  private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);

  /** Why a run is being ended early. */
  private enum Interruption {
    NONE,
    STOPPED,
    SHUTDOWN,
    LOST
  }

  private final Run run;
  private final RunStream stream;
  private final Optional<ChatModel> model;
  private final RunStore runs;
  private final ChatStore chats;
  private final Json json;
  private final Clock clock;
  private final Runnable onDone;
  private final Cancellation cancellation = new Cancellation();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Interruption interruption = Interruption.NONE;

  RunExecution(
      Run run,
      RunStream stream,
      Optional<ChatModel> model,
      RunStore runs,
      ChatStore chats,
      Json json,
      Clock clock,
      Runnable onDone) {
    this.run = run;
    this.stream = stream;
    this.model = model;
    this.runs = runs;
    this.chats = chats;
    this.json = json;
    this.clock = clock;
    this.onDone = onDone;
  }

  /** A user asked to stop: the stream ends with abort and finish, the run is cancelled. */
  void cancel() {
    interrupt(Interruption.STOPPED);
  }

  /** The node is shutting down: the stream ends with error and finish, the run failed. */
  void shutdown() {
    interrupt(Interruption.SHUTDOWN);
  }

  /** Another node took the run over: write nothing more, it finalizes the run. */
  void lose() {
    interrupt(Interruption.LOST);
  }

  private void interrupt(Interruption why) {
    if (interruption == Interruption.NONE) {
      interruption = why;
    }
    cancellation.cancel();
  }

  boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void run() {
    try {
      RunOutcome outcome = produce();
      if (interruption == Interruption.LOST) {
        LOG.warn("run {} was taken over by another node; leaving it to that node", run.id());
        return;
      }
      settle(writeEnd(outcome));
    } finally {
      onDone.run();
      done.countDown();
    }
  }

  private RunOutcome produce() {
    try {
      stream.emit(new UiChunk.Start(run.messageId()));
      if (model.isEmpty()) {
        return RunOutcome.failed("The model '" + run.model() + "' is not configured.");
      }
      List<JsonNode> history =
          chats.messages(run.chatId()).stream().map(m -> json.tree(m.body())).toList();
      ModelRequest request = new ModelRequest(run.chatId(), run.messageId(), history);
      return RunOutcome.completed(model.get().respond(request, stream, cancellation));
    } catch (CancelledException e) {
      return interruption == Interruption.STOPPED
          ? RunOutcome.cancelled()
          : RunOutcome.failed(SHUTDOWN_ERROR);
    } catch (ModelException e) {
      return RunOutcome.failed(e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("run {} failed inside reprise", run.id(), e);
      return RunOutcome.failed(INTERNAL_ERROR);
    }
  }

  private RunOutcome writeEnd(RunOutcome outcome) {
    try {
      stream.end(CANCELLED_TOOL, outcome.finalChunks());
      return outcome;
    } catch (RuntimeException e) {
      LOG.error("run {}: could not write the end of its stream", run.id(), e);
      return outcome.status() == RunStatus.FAILED ? outcome : RunOutcome.failed(INTERNAL_ERROR);
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
      stream.writer().close();
    }
  }
}
