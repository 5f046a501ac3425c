package dev.reprise.run;

import dev.reprise.chat.ChatStore;
import dev.reprise.model.ModelRegistry;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.MessageAssembler;
import dev.reprise.stream.LiveStream;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * Starts and stops runs. Each run executes on its own virtual thread; at most {@code
 * maxConcurrentRuns} call a model at once, the others wait as {@code queued}. A client going away
 * never stops a run: only {@link #stop} does.
 */
public final class RunService {
  private final RunStore runs;
  private final ChatStore chats;
  private final StreamLog log;
  private final StreamHub hub;
  private final ModelRegistry models;
  private final Json json;
  private final Clock clock;
  private final Ids ids;
  private final Semaphore modelSlots;
  private final Duration stopWait;
  private final ConcurrentMap<String, RunExecution> executions = new ConcurrentHashMap<>();
  private volatile boolean draining;

  public RunService(
      RunStore runs,
      ChatStore chats,
      StreamLog log,
      StreamHub hub,
      ModelRegistry models,
      Json json,
      Clock clock,
      Ids ids,
      int maxConcurrentRuns,
      Duration stopWait) {
    this.runs = runs;
    this.chats = chats;
    this.log = log;
    this.hub = hub;
    this.models = models;
    this.json = json;
    this.clock = clock;
    this.ids = ids;
    this.modelSlots = new Semaphore(maxConcurrentRuns, true);
    this.stopWait = stopWait;
  }

  /**
   * Queues a run for the chat and starts it.
   *
   * @throws ChatBusyException when the chat already has a live run
   * @throws DrainingException when this node is shutting down
   */
  public Run start(String chatId, String accountId, String model, boolean headless)
      throws ChatBusyException {
    if (draining) {
      throw new DrainingException();
    }
    Instant now = clock.instant();
    Run run = Run.queued(ids.runId(), chatId, accountId, ids.messageId(), model, headless, now);
    // why: the stream exists before the run does, so a reader that finds the run always finds its
    // stream.
    LiveStream live = hub.open(run.id());
    log.create(run.id(), now);
    if (!runs.insertIfChatIdle(run)) {
      hub.remove(run.id());
      log.delete(run.id());
      throw new ChatBusyException(chatId);
    }
    launch(run, live, 0);
    return run;
  }

  /** Starts again a run that had written nothing when its previous process died. */
  void restart(Run run) {
    runs.requeue(run.id());
    launch(run, hub.open(run.id()), 0);
  }

  private void launch(Run run, LiveStream live, long nextIndex) {
    RunStream stream =
        new RunStream(
            new StreamWriter(log, live, clock, nextIndex),
            new MessageAssembler(run.messageId()),
            json);
    RunExecution execution =
        new RunExecution(
            run,
            stream,
            models.find(run.model()),
            runs,
            chats,
            json,
            clock,
            modelSlots,
            () -> executions.remove(run.id()));
    executions.put(run.id(), execution);
    Thread.ofVirtual().name("run-" + run.id()).start(execution);
  }

  /**
   * Stops the run if it is live: its stream gets {@code abort} and {@code finish}, and the partial
   * message is kept. Waits until the run has ended (or the stop wait has passed).
   *
   * @return true if a live run was stopped
   */
  public boolean stop(String runId) throws InterruptedException {
    RunExecution execution = executions.get(runId);
    if (execution == null) {
      return false;
    }
    runs.requestCancel(runId);
    execution.cancel();
    execution.awaitDone(stopWait);
    return true;
  }

  /**
   * Shuts this node's runs down: no new run starts; running ones get up to {@code timeout} to
   * finish; those still running then end as failed (error + finish, partial message kept); queued
   * ones stay queued for the next start.
   */
  public void drain(Duration timeout) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RunExecution execution : executions.values()) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!execution.isQueued()) {
        execution.awaitDone(Duration.ofNanos(left));
      }
    }
    for (RunExecution execution : executions.values()) {
      execution.shutdown();
    }
    for (RunExecution execution : executions.values()) {
      execution.awaitDone(stopWait);
    }
  }

  public boolean draining() {
    return draining;
  }

  /** How many runs execute on this node now. */
  public int activeRuns() {
    return executions.size();
  }
}
