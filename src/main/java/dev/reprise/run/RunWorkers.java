package dev.reprise.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's background loops: the dispatcher, which claims queued runs while the node has free
 * slots (woken at once by local starts, and polling for runs queued elsewhere); and the keeper,
 * which renews leases, applies stops asked through other nodes, and (when several nodes share the
 * store) takes over the runs of nodes whose leases ran out.
 */
public final class RunWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunWorkers.class);
  private static final Duration STOP_CHECK = Duration.ofMillis(200);

  private final RunService service;
  private final RunStore runs;
  private final RunRecovery recovery;
  private final RunSettings settings;
  private final Clock clock;
  private final boolean takeOverOthers;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean closed;
  private Thread dispatcher;
  private Thread keeper;

  public RunWorkers(
      RunService service,
      RunStore runs,
      RunRecovery recovery,
      RunSettings settings,
      Clock clock,
      boolean takeOverOthers) {
    this.service = service;
    this.runs = runs;
    this.recovery = recovery;
    this.settings = settings;
    this.clock = clock;
    this.takeOverOthers = takeOverOthers;
  }

  public void start() {
    service.onQueued(wake::release);
    dispatcher = Thread.ofVirtual().name("run-dispatcher").start(this::dispatch);
    keeper = Thread.ofVirtual().name("run-keeper").start(this::keep);
  }

  private void dispatch() {
    while (!closed) {
      try {
        while (!closed && service.claimAndLaunch()) {
          // take every queued run there is a slot for
        }
        wake.tryAcquire(settings.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("dispatcher failed; retrying", e);
        pause();
      }
    }
  }

  private void keep() {
    Duration renewEvery = settings.leaseTimeout().dividedBy(3);
    Instant nextRenewal = clock.instant();
    while (!closed) {
      try {
        service.applyStopRequests();
        if (!clock.instant().isBefore(nextRenewal)) {
          service.renewLeases();
          if (takeOverOthers) {
            takeOverExpired();
          }
          nextRenewal = clock.instant().plus(renewEvery);
        }
        Thread.sleep(STOP_CHECK);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("run keeper failed; retrying", e);
        pause();
      }
    }
  }

  private void takeOverExpired() {
    Instant now = clock.instant();
    for (Run run : runs.claimExpired(settings.nodeId(), now, now.plus(settings.leaseTimeout()))) {
      LOG.info("run {}: its node's lease ran out; recovering it", run.id());
      recovery.recover(run);
    }
    wake.release();
  }

  private void pause() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    if (dispatcher != null) {
      dispatcher.interrupt();
      keeper.interrupt();
    }
  }
}
