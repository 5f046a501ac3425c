package dev.reprise.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ends stream responses whose client stopped reading. A reader's frames are shared with every other
 * reader of the stream, so a stuck client costs no buffer of its own, only its socket's send buffer
 * and a parked virtual thread; but it would hold them, and its account's reader slot, forever. A
 * write or flush that stays blocked longer than the timeout gets its thread interrupted, which for
 * a virtual thread blocked on a socket closes the socket: the write fails, the response ends and
 * the slot is given back.
 */
final class WriteWatchdog implements AutoCloseable {
  private final long timeoutNanos;
  private final ConcurrentMap<Thread, Long> writing = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final AtomicLong cutOff = new AtomicLong();

  WriteWatchdog(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("write-watchdog").factory());
    long every = Math.max(10, timeout.toMillis() / 4);
    timer.scheduleWithFixedDelay(this::cutStuckWriters, every, every, TimeUnit.MILLISECONDS);
  }

  /** Marks the calling thread as writing from now on. */
  void arm() {
    writing.put(Thread.currentThread(), System.nanoTime() + timeoutNanos);
  }

  /** The calling thread's write is done. */
  void disarm() {
    writing.remove(Thread.currentThread());
  }

  /** How many stuck writers were cut off since start (for tests and logs). */
  long cutOff() {
    return cutOff.get();
  }

  private void cutStuckWriters() {
    long now = System.nanoTime();
    writing.forEach(
        (thread, deadline) -> {
          // why: remove(k, v) fails if the write finished (or a new one began) meanwhile, so a
          // thread that is no longer stuck is never interrupted.
          if (now - deadline > 0 && writing.remove(thread, deadline)) {
            cutOff.incrementAndGet();
            thread.interrupt();
          }
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
