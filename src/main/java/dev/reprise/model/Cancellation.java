package dev.reprise.model;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A run's stop signal. Waits made through it end as soon as the run is stopped. */
public final class Cancellation {
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

  public void cancel() {
    if (cancelled.getCount() > 0) {
      cancelled.countDown();
      callbacks.forEach(Runnable::run);
    }
  }

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /** Throws if the run was stopped. */
  public void check() throws CancelledException {
    if (isCancelled()) {
      throw new CancelledException();
    }
  }

  /** Waits {@code delay}, or less if the run is stopped meanwhile (then throws). */
  public void sleep(Duration delay) throws CancelledException {
    try {
      if (cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new CancelledException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException();
    }
  }

  /**
   * Runs {@code callback} when the run is stopped (at once if it already is), e.g. to close a
   * socket.
   */
  public void onCancel(Runnable callback) {
    callbacks.add(callback);
    if (isCancelled()) {
      callback.run();
    }
  }
}
