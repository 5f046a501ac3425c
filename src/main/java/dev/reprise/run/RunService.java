package dev.reprise.run;

import dev.reprise.chat.ChatStore;
import dev.reprise.model.ModelRegistry;
import dev.reprise.protocol.Json;
import dev.reprise.protocol.UiChunk;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Starts and stops runs. A new run is queued in the store; a node with a free model slot claims it
 * (see {@link RunWorkers}) and executes it on a virtual thread. A client going away never stops a
 * run: only {@link #stop} does, through whichever node the request reaches.
 */
public final class RunService {
  private static final Duration STOP_POLL = Duration.ofMillis(50);

  /** The most runs one claim takes: a burst of chats starts at once, in one short transaction. */
  static final int MAX_CLAIM_BATCH = 64;

  private final RunStore runs;
  private final ChatStore chats;
  private final StreamLog log;
  private final RunStreams streams;
  private final ModelRegistry models;
  private final Json json;
  private final Clock clock;
  private final Ids ids;
  private final RunSettings settings;
  private final RunFinalizer finalizer;
  private final RunTelemetry metrics;
  private final ConcurrentMap<String, RunExecution> executions = new ConcurrentHashMap<>();
  private volatile boolean draining;
  private volatile Runnable wakeDispatcher = () -> {};

  public RunService(
      RunStores stores,
      StreamLog log,
      StreamHub hub,
      ModelRegistry models,
      Json json,
      Clock clock,
      Ids ids,
      RunSettings settings,
      RunTelemetry metrics) {
    this.runs = stores.runs();
    this.chats = stores.chats();
    this.log = log;
    this.streams = new RunStreams(stores, log, hub, json, clock, settings.coalescing());
    this.models = models;
    this.json = json;
    this.clock = clock;
    this.ids = ids;
    this.settings = settings;
    this.finalizer = new RunFinalizer(stores, json, clock, metrics);
    this.metrics = metrics;
    metrics.gauges(executions::size, runs::countQueued);
  }

  /** A new run for the chat, not yet admitted: {@link #start} queues it. */
  public Run newRun(String chatId, String accountId, String model, boolean headless) {
    return Run.queued(
        ids.runId(), chatId, accountId, ids.messageId(), model, headless, clock.instant());
  }

  /**
   * A new run that continues the assistant message {@code messageId} after the user answered its
   * tool calls.
   */
  public Run continuingRun(
      String chatId, String accountId, String model, boolean headless, String messageId) {
    return Run.continuing(
        ids.runId(), chatId, accountId, messageId, model, headless, clock.instant());
  }

  /**
   * Queues the run, within the account's quota, and stores the turn's messages with it (only if it
   * is admitted); a node with a free slot starts it at once. Anything but {@link
   * Admission.Admitted} means nothing was written.
   *
   * @throws DrainingException when this node is shutting down
   */
  public Admission start(Run run, Turn turn) {
    if (draining) {
      throw new DrainingException();
    }
    // why: the stream exists before the run does, so a reader that finds the run always finds its
    // log.
    log.create(run.id(), run.createdAt());
    Run traced = run.withTraceParent(metrics.tracing().currentParent());
    Admission admission;
    try {
      admission = runs.admit(traced, settings.quota(), turn);
    } catch (RuntimeException e) {
      log.delete(run.id());
      throw e;
    }
    if (admission instanceof Admission.Admitted) {
      metrics.admitted(
          turn.answers().isPresent()
              ? RunTelemetry.Kind.CONTINUATION
              : run.headless() ? RunTelemetry.Kind.HEADLESS : RunTelemetry.Kind.TURN);
      wakeDispatcher.run();
    } else {
      log.delete(run.id());
    }
    return admission;
  }

  /**
   * Whether the account is already over its run quota, checked before a request writes anything;
   * {@link #start} checks again, atomically.
   */
  public Admission checkQuota(String accountId) {
    return runs.quotaCheck(accountId, settings.quota(), clock.instant());
  }

  void onQueued(Runnable wake) {
    this.wakeDispatcher = wake;
  }

  /** How many runs this node may take now. */
  private int freeSlots() {
    return draining ? 0 : Math.max(0, settings.maxConcurrentRuns() - executions.size());
  }

  /**
   * Takes the oldest queued runs there are free slots for, at most {@link #MAX_CLAIM_BATCH}, in one
   * claim, and starts executing them here.
   *
   * @return whether it started any run
   */
  boolean claimAndLaunch() {
    int slots = freeSlots();
    if (slots == 0) {
      return false;
    }
    Instant now = clock.instant();
    Instant leaseUntil = now.plus(settings.leaseTimeout());
    int batch = Math.min(slots, MAX_CLAIM_BATCH);
    return launchAll(runs.claimNext(settings.nodeId(), now, leaseUntil, batch)) > 0;
  }

  /** Launches the claimed runs, oldest first; those it does not launch go back to the queue. */
  private int launchAll(List<Run> claimed) {
    int launched = 0;
    for (Run run : claimed) {
      if (draining) {
        // why: a drain began during the claim or the launches; leave the rest to another node.
        requeue(claimed.subList(launched, claimed.size()));
        return launched;
      }
      try {
        launch(run);
      } catch (RuntimeException e) {
        // why: left running, their leases renewed by this node, the runs after the failed one
        // would never start. A batch strands no more runs than a claim of one run did.
        requeue(claimed.subList(launched + 1, claimed.size()));
        throw e;
      }
      launched++;
    }
    return launched;
  }

  private void requeue(List<Run> runsToRequeue) {
    runsToRequeue.forEach(run -> runs.requeue(run.id()));
  }

  private void launch(Run run) {
    Optional<RunStreams.Continuation> continuation = streams.continuation(run);
    RunStream stream = streams.open(run, continuation);
    RunExecution execution =
        new RunExecution(
            run,
            stream,
            continuation,
            models.find(run.model()),
            chats,
            json,
            finalizer,
            metrics,
            settings.nodeId(),
            () -> {
              executions.remove(run.id());
              wakeDispatcher.run();
            });
    executions.put(run.id(), execution);
    Thread.ofVirtual().name("run-" + run.id()).start(execution);
  }

  /**
   * Stops the run if it is live, wherever it executes: its stream gets {@code abort} and {@code
   * finish}, and the partial message is kept. Waits until the run has ended, at most the stop wait.
   *
   * @return true if a live run was asked to stop
   */
  public boolean stop(String runId) throws InterruptedException {
    runs.requestCancel(runId);
    RunExecution local = executions.get(runId);
    if (local != null) {
      local.cancel();
      local.awaitDone(settings.stopWait());
      return true;
    }
    Optional<Run> run = runs.find(runId);
    if (run.isEmpty() || !run.get().status().isLive()) {
      return false;
    }
    Instant now = clock.instant();
    if (runs.claim(runId, settings.nodeId(), now, now.plus(settings.leaseTimeout()))) {
      cancelQueued(run.get());
      return true;
    }
    awaitTerminal(runId);
    return true;
  }

  /** A queued run that never started: its stream is only start, abort and finish. */
  private void cancelQueued(Run run) {
    RunStream stream = streams.open(run, streams.continuation(run));
    stream.emit(new UiChunk.Start(run.messageId()));
    finalizer.finish(run, stream, RunOutcome.cancelled(), RunFinalizer.Attempts.ONCE);
  }

  /**
   * Waits until the run has ended (its bookkeeping done), at most the stop wait; true if it has.
   */
  public boolean awaitEnded(String runId) throws InterruptedException {
    awaitTerminal(runId);
    return runs.find(runId).map(r -> !r.status().isLive()).orElse(true);
  }

  private void awaitTerminal(String runId) throws InterruptedException {
    long deadline = System.nanoTime() + settings.stopWait().toNanos();
    while (System.nanoTime() < deadline) {
      if (runs.find(runId).map(r -> !r.status().isLive()).orElse(true)) {
        return;
      }
      Thread.sleep(STOP_POLL);
    }
  }

  /** Cancels the local runs for which a stop was asked through another node. */
  void applyStopRequests() {
    for (String runId : runs.cancelRequested(settings.nodeId())) {
      RunExecution execution = executions.get(runId);
      if (execution != null) {
        execution.cancel();
      }
    }
  }

  /** Renews this node's leases; a local run whose lease another node took is abandoned here. */
  void renewLeases() {
    // why: only runs this node executed before the renewal can be missing from its answer because
    // another node took them over. A run claimed while the renewal was in flight is missing from
    // it too, though it is ours; given up, it stayed running forever, its lease renewed by this
    // node and its stream never ending (found by scripts/crash-campaign).
    Set<String> before = Set.copyOf(executions.keySet());
    var owned = runs.renewLeases(settings.nodeId(), clock.instant().plus(settings.leaseTimeout()));
    executions.forEach(
        (runId, execution) -> {
          if (before.contains(runId) && !owned.contains(runId)) {
            execution.lose();
            streams.handOver(runId);
          }
        });
  }

  /**
   * Shuts this node's runs down: no new run is claimed; running ones get up to {@code timeout} to
   * finish; those still running then end as failed (error + finish, partial message kept). Queued
   * runs stay queued for any other node, or the next start.
   */
  public void drain(Duration timeout) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RunExecution execution : executions.values()) {
      execution.awaitDone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    for (RunExecution execution : executions.values()) {
      execution.shutdown();
    }
    for (RunExecution execution : executions.values()) {
      execution.awaitDone(settings.stopWait());
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
