package dev.reprise.http;

import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Lets a bounded number of requests at once do the work that comes before their stream's first
 * byte: for a resume, authentication, the chat and run lookups and the reader slot. Streaming
 * itself is not held here. Unbounded, a burst of readers joining at once interleaves hundreds of
 * half-done set-ups with the live streams, whose writers and readers then wait behind them for a
 * core; a few at a time, each set-up finishes sooner and the live streams keep their pace.
 */
final class SetupGate {
  private final Semaphore permits;
  private final int concurrency;

  SetupGate(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
    }
    this.concurrency = concurrency;
    this.permits = new Semaphore(concurrency, true);
  }

  /**
   * Waits for a turn. The pass ends it when released or closed, whichever comes first.
   *
   * @throws ApiException 503 when the thread is interrupted while it waits (the server stops)
   */
  Pass enter() {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "The server is stopping", List.of());
    }
    return new Pass();
  }

  /** Requests waiting for a turn now. */
  int waiting() {
    return permits.getQueueLength();
  }

  /** Requests setting up now. */
  int busy() {
    return concurrency - permits.availablePermits();
  }

  /** One request's turn; not shared between threads. */
  final class Pass implements AutoCloseable {
    private boolean released;

    private Pass() {}

    /** Ends the turn (once; later calls do nothing). */
    void release() {
      if (!released) {
        released = true;
        permits.release();
      }
    }

    @Override
    public void close() {
      release();
    }
  }
}
