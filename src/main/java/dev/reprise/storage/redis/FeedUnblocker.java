package dev.reprise.storage.redis;

import io.lettuce.core.UnblockType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Wakes the feed's blocked XREAD when streams were watched since it was sent, with CLIENT UNBLOCK
 * from another connection. An unblock can arrive before the XREAD it is meant for, or while the
 * reader is busy, and then does nothing; so it is retried, ever less often, until the reader has
 * started a read that includes the new streams.
 */
final class FeedUnblocker {
  private static final long MIN_PAUSE_NANOS = 100_000;
  private static final long MAX_PAUSE_NANOS = 20_000_000;
  private static final long ERROR_PAUSE_NANOS = 200_000_000;

  private final RedisCommands<String, String> control;
  private final LongSupplier readerClientId;
  private final LongSupplier watchesRead;
  private final LongSupplier watches;
  private final Thread thread;
  private volatile boolean running = true;

  FeedUnblocker(
      RedisCommands<String, String> control,
      LongSupplier readerClientId,
      LongSupplier watchesRead,
      LongSupplier watches) {
    this.control = control;
    this.readerClientId = readerClientId;
    this.watchesRead = watchesRead;
    this.watches = watches;
    this.thread =
        Thread.ofPlatform().daemon().name("redis-stream-feed-unblock").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void wake() {
    LockSupport.unpark(thread);
  }

  void stop() {
    running = false;
    wake();
  }

  void join() throws InterruptedException {
    thread.join(5_000);
  }

  private boolean behind() {
    return watchesRead.getAsLong() < watches.getAsLong();
  }

  private void run() {
    long pause = MIN_PAUSE_NANOS;
    while (running) {
      if (!behind()) {
        pause = MIN_PAUSE_NANOS;
        LockSupport.park(this);
        continue;
      }
      long id = readerClientId.getAsLong();
      try {
        if (id >= 0 && control.clientUnblock(id, UnblockType.TIMEOUT) == 1) {
          pause = MIN_PAUSE_NANOS;
          continue;
        }
      } catch (RuntimeException e) {
        // why: Redis is away; the reader backs off and retries, and reads every stream when back.
        LockSupport.parkNanos(this, ERROR_PAUSE_NANOS);
        continue;
      }
      LockSupport.parkNanos(this, pause);
      pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
    }
  }
}
