package dev.reprise.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.chat.ChatStore;
import dev.reprise.chat.StoredMessage;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChatModel;
import dev.reprise.model.ChunkSink;
import dev.reprise.model.ModelException;
import dev.reprise.model.ModelRequest;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.UiChunk;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run that this node has claimed, on its own virtual thread: stream the answer, and end the
 * stream with {@code finish} whatever happens — completed, failed ({@code error}) or stopped
 * ({@code abort}); the {@link RunFinalizer} then stores the message and marks the run ended,
 * retrying each step while storage refuses writes (a full disk).
 */
final class RunExecution implements Runnable {
  static final String INTERNAL_ERROR = "An error occurred.";
  static final String SHUTDOWN_ERROR = "The server shut down before this answer was finished.";
  private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(100);
  private static final Duration LAST_RETRY = Duration.ofSeconds(2);

  /** Why a run is being ended early. */
  private enum Interruption {
    NONE,
    STOPPED,
    SHUTDOWN,
    LOST
  }

  private final Run run;
  private final RunStream stream;
  private final Optional<RunStreams.Continuation> continuation;
  private final Optional<ChatModel> model;
  private final ChatStore chats;
  private final Json json;
  private final RunFinalizer finalizer;
  private final RunTelemetry metrics;
  private final String node;
  private final long launched = System.nanoTime();
  private final Runnable onDone;
  private final Cancellation cancellation = new Cancellation();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile Interruption interruption = Interruption.NONE;

  RunExecution(
      Run run,
      RunStream stream,
      Optional<RunStreams.Continuation> continuation,
      Optional<ChatModel> model,
      ChatStore chats,
      Json json,
      RunFinalizer finalizer,
      RunTelemetry metrics,
      String node,
      Runnable onDone) {
    this.run = run;
    this.stream = stream;
    this.continuation = continuation;
    this.model = model;
    this.chats = chats;
    this.json = json;
    this.finalizer = finalizer;
    this.metrics = metrics;
    this.node = node;
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
    Span span = metrics.tracing().start(run, node);
    RunOutcome outcome = RunOutcome.failed(INTERNAL_ERROR);
    try (Scope scope = span.makeCurrent();
        MDC.MDCCloseable runId = MDC.putCloseable("run", run.id());
        MDC.MDCCloseable chatId = MDC.putCloseable("chat", run.chatId())) {
      outcome = produce();
      if (interruption == Interruption.LOST) {
        LOG.warn("run {} was taken over by another node; leaving it to that node", run.id());
        return;
      }
      finalizer.finish(run, stream, outcome, this::persist);
    } finally {
      RunTracing.end(span, outcome);
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
      return RunOutcome.completed(model.get().respond(request(), timed(), cancellation));
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

  /** The run's stream, noting when the model's first content arrives. */
  private ChunkSink timed() {
    boolean[] seen = {false};
    return chunk -> {
      if (!seen[0]
          && (chunk instanceof UiChunk.TextStart
              || chunk instanceof UiChunk.ReasoningStart
              || chunk instanceof UiChunk.ToolInputStart)) {
        seen[0] = true;
        metrics.firstContent(Duration.ofNanos(System.nanoTime() - launched));
      }
      stream.emit(chunk);
    };
  }

  /**
   * The chat as the model sees it; a continued message stands there as the user answered it, last,
   * with the answers.
   */
  private ModelRequest request() {
    List<JsonNode> history = new ArrayList<>();
    for (StoredMessage message : chats.messages(run.chatId())) {
      if (continuation.isEmpty() || !message.id().equals(run.messageId())) {
        history.add(json.tree(message.body()));
      }
    }
    if (continuation.isEmpty()) {
      return new ModelRequest(run.chatId(), run.messageId(), history);
    }
    history.add(continuation.get().message());
    return new ModelRequest(run.chatId(), run.messageId(), history, continuation.get().answers());
  }

  /**
   * Runs {@code step} until it succeeds. Between attempts it waits, doubling from {@link
   * #FIRST_RETRY} up to {@link #LAST_RETRY}. It gives up only when the run was lost to another node
   * or the node is shutting down (recovery then finishes the run), or when interrupted.
   */
  private void persist(String what, Runnable step) {
    Duration wait = FIRST_RETRY;
    for (int attempt = 1; ; attempt++) {
      try {
        step.run();
        if (attempt > 1) {
          LOG.info("run {}: could {} after {} attempts", run.id(), what, attempt);
        }
        return;
      } catch (RuntimeException e) {
        if (attempt == 1) {
          LOG.error("run {}: could not {}; retrying until storage recovers", run.id(), what, e);
        }
        if (interruption == Interruption.LOST || interruption == Interruption.SHUTDOWN) {
          LOG.warn("run {}: gave up trying to {}: {}", run.id(), what, e.toString());
          return;
        }
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("run {}: interrupted while retrying to {}", run.id(), what);
        return;
      }
      wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
    }
  }
}
