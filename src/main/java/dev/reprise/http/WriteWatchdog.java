package dev.reprise.http;

import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * the slot is given back. The connection's socket is first set to reset on close: closed
 * gracefully, it kept what was queued for the stuck client (up to tcp_wmem's 4 MiB) as an orphan
 * for minutes, and the client saw the end only after reading all of it.
 */
final class WriteWatchdog implements AutoCloseable {
  private static final long IDLE = Long.MIN_VALUE;

  private final long timeoutNanos;
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
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

  /**
   * Watches the calling thread's writes of one response, on the connection it answers ({@link
   * ConnectionSockets#current()}), until the returned watch is closed. Arming and disarming it per
   * write is two volatile stores: a write costs no map update.
   */
  Watch watch() {
    Watch watch = new Watch(Thread.currentThread(), ConnectionSockets.current());
    watches.add(watch);
    return watch;
  }

  /** How many stuck writers were cut off since start (for tests and logs). */
  long cutOff() {
    return cutOff.get();
  }

  private void cutStuckWriters() {
    long now = System.nanoTime();
    for (Watch watch : watches) {
      long deadline = watch.deadline.get();
      // why: the compare-and-set fails if the write finished (or a new one began) meanwhile, so a
      // thread that is no longer stuck is never interrupted.
      if (deadline != IDLE && now - deadline > 0 && watch.deadline.compareAndSet(deadline, IDLE)) {
        cutOff.incrementAndGet();
        watch.cut = true;
        watch.connection.ifPresent(ConnectionSockets::resetOnClose);
        watch.thread.interrupt();
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** The writes of one response, made by one thread. */
  final class Watch implements AutoCloseable {
    private final Thread thread;
    private final Optional<SocketChannel> connection;
    private final AtomicLong deadline = new AtomicLong(IDLE);
    private volatile boolean cut;

    private Watch(Thread thread, Optional<SocketChannel> connection) {
      this.thread = thread;
      this.connection = connection;
    }

    /** A write begins now. */
    void arm() {
      deadline.set(System.nanoTime() + timeoutNanos);
    }

    /** The write is done. */
    void disarm() {
      deadline.set(IDLE);
    }

    /** Whether the watchdog cut this response's writer off. */
    boolean wasCutOff() {
      return cut;
    }

    /** The response is over. */
    @Override
    public void close() {
      watches.remove(this);
    }
  }
}
