package dev.reprise.stream;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-memory mirror of a stream that is live on this node: the frames from {@link #base()} on,
 * and whether the stream is closed. One writer publishes; any number of readers take frames without
 * locking and park while they wait, so that a thousand readers of one stream cost one array, not a
 * thousand queues.
 *
 * <p>Frames are only published after the log has them, so a reader that falls behind {@link
 * #base()} can always fetch the missing part from the log.
 */
public final class LiveStream {
  /**
   * The most frames a mirror holds by default: a long answer's older frames are read from the log.
   */
  public static final int DEFAULT_CAPACITY = 1024;

  private static final int FIRST_WINDOW = 64;

  private final String id;
  // why: a stack that publishing takes whole, not a set: with a thousand readers a chunk costs one
  // push per reader and one swap, where a concurrent set cost an insert and a removal per reader.
  private final AtomicReference<Waiter> waiters = new AtomicReference<>();
  private final Object writeLock = new Object();
  private final int capacity;
  private volatile Window window;
  private volatile long next;
  private volatile boolean closed;
  private volatile Instant closedAt;

  private final boolean ticked;

  /**
   * The frames held: {@code frames[i]} has index {@code base + i}. Replaced whole when it grows or
   * slides, so that a reader sees a base and its frames together.
   */
  private record Window(long base, Frame[] frames) {}

  LiveStream(String id, long base) {
    this(id, base, false);
  }

  /**
   * {@code ticked}: the hub wakes every waiting reader periodically ({@link StreamHub#tick}), so a
   * wait can park without a timeout. A timed park costs a timer task per reader per chunk, which
   * with thousands of readers is a large share of the CPU.
   */
  LiveStream(String id, long base, boolean ticked) {
    this(id, base, ticked, DEFAULT_CAPACITY);
  }

  /**
   * {@code capacity}: the most frames held; past it the older half is dropped (readers behind the
   * base read those from the log, which has every published frame).
   */
  LiveStream(String id, long base, boolean ticked, int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("a mirror holds at least 2 frames");
    }
    this.id = id;
    this.ticked = ticked;
    this.capacity = capacity;
    this.window = new Window(base, new Frame[Math.min(FIRST_WINDOW, capacity)]);
    this.next = base;
  }

  public String id() {
    return id;
  }

  /** Index of the first frame held in memory; it moves on as a long stream's mirror slides. */
  public long base() {
    return window.base();
  }

  /** Index that the next published frame will have. */
  public long next() {
    return next;
  }

  public boolean closed() {
    return closed;
  }

  Instant closedAt() {
    return closedAt;
  }

  /**
   * Publishes the frame if it is the next one. A frame already held, or one past a gap, is ignored:
   * a stream may be fed by its local writer and by a remote feed at once, and each of them is
   * complete and in order, so whichever delivers an index first wins and nothing is lost.
   *
   * @return true if the frame was added
   */
  public boolean offer(Frame frame) {
    synchronized (writeLock) {
      if (!publish(frame)) {
        return false;
      }
    }
    wakeReaders();
    return true;
  }

  /**
   * Publishes consecutive frames as {@link #offer} does each, waking the readers once.
   *
   * @return how many were added, from the first: those up to the first one not added
   */
  public int offerAll(List<Frame> frames) {
    int added = 0;
    synchronized (writeLock) {
      while (added < frames.size() && publish(frames.get(added))) {
        added++;
      }
    }
    if (added > 0) {
      wakeReaders();
    }
    return added;
  }

  /** Under the write lock: adds the frame if it is the next one. */
  private boolean publish(Frame frame) {
    long index = next;
    if (closed || frame.index() != index) {
      return false;
    }
    Window current = window;
    if (index - current.base() == current.frames().length) {
      current = roomFor(current);
      // why: published before the frame's index is, so a reader that sees the index sees a
      // window that holds it.
      window = current;
    }
    current.frames()[(int) (index - current.base())] = frame;
    next = index + 1;
    return true;
  }

  /** A full window doubled, or, at capacity, its newer half in a window of its own. */
  private Window roomFor(Window full) {
    Frame[] frames = full.frames();
    if (frames.length < capacity) {
      return new Window(full.base(), Arrays.copyOf(frames, Math.min(capacity, frames.length * 2)));
    }
    int kept = capacity / 2;
    Frame[] slid = new Frame[capacity];
    System.arraycopy(frames, frames.length - kept, slid, 0, kept);
    return new Window(full.base() + frames.length - kept, slid);
  }

  public void close(Instant now) {
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closedAt = now;
      closed = true;
    }
    wakeReaders();
  }

  /**
   * The frames from {@code from} on that are published now; empty when there are none yet, or when
   * {@code from} is below the {@link #base()} (the log has those).
   */
  public List<Frame> framesFrom(long from) {
    // why: the index first, then the window: the window seen is at least as new as the index, so
    // it holds every frame below it from its base on.
    long end = next;
    Window held = window;
    // why: compared as longs first; an index far past the tail (a client's startIndex) cast to int
    // could wrap to a negative offset and ask for a copy of billions of frames.
    if (from < held.base() || from >= end) {
      return List.of();
    }
    return Arrays.asList(
        Arrays.copyOfRange(held.frames(), (int) (from - held.base()), (int) (end - held.base())));
  }

  /**
   * Waits until a frame with index {@code >= from} is published or the stream closes, at most
   * {@code timeoutNanos}. Returns false on time-out.
   */
  public boolean await(long from, long timeoutNanos) throws InterruptedException {
    return await(from, timeoutNanos, ticked);
  }

  /**
   * As {@link #await(long, long)}, but times out on time even when the hub ticks: for a reader
   * whose answer is due at its deadline (a long-poll's 204), not at the next tick.
   */
  public boolean awaitExactly(long from, long timeoutNanos) throws InterruptedException {
    return await(from, timeoutNanos, false);
  }

  private boolean await(long from, long timeoutNanos, boolean untimed) throws InterruptedException {
    Thread self = Thread.currentThread();
    long deadline = System.nanoTime() + timeoutNanos;
    while (true) {
      if (next() > from || closed) {
        return true;
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return false;
      }
      push(self);
      // why: registered before this second look, so a frame published in between is either seen
      // here or followed by an unpark.
      if (next() > from || closed) {
        return true;
      }
      if (untimed) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, remaining);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Wakes every waiting reader, so that each can see whether its wait has timed out. */
  void tick() {
    wakeReaders();
  }

  private void wakeReaders() {
    // why: a reader left on the stack by a time-out or a spurious wake-up gets one extra unpark
    // here, which every park tolerates; the ticks empty the stack regularly.
    for (Waiter waiter = waiters.getAndSet(null); waiter != null; waiter = waiter.next) {
      LockSupport.unpark(waiter.thread);
    }
  }

  private void push(Thread thread) {
    Waiter waiter = new Waiter(thread);
    Waiter top;
    do {
      top = waiters.get();
      waiter.next = top;
    } while (!waiters.compareAndSet(top, waiter));
  }

  private static final class Waiter {
    final Thread thread;
    Waiter next;

    Waiter(Thread thread) {
      this.thread = thread;
    }
  }
}
