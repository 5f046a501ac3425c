package dev.reprise.run;

import dev.reprise.protocol.UiChunk;
import dev.reprise.stream.PartialAppendException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Hands a run's chunks to its log writer without making a fast model wait for each write: the
 * chunks queue here, in order, and one drainer (a virtual thread, started when the queue goes from
 * idle to busy) writes them. What queued behind a write in flight goes out in the next write,
 * together (one commit), and consecutive deltas of the same text or reasoning part in it as one
 * chunk, so a model faster than the log costs one write per batch, not one per chunk, and an idle
 * log adds no wait.
 *
 * <p>A model slower than the log (a delta at least {@link #PACED} after the previous write ended,
 * the pace of every real model) writes its chunk itself: nothing would queue behind that write, and
 * a drainer started for each chunk cost a new virtual thread, its stack, and one more hand-off per
 * chunk.
 *
 * <p>A write that fails keeps its chunk, and everything after it, queued: {@link #flush} reports
 * the failure, and the next flush tries again from that chunk, so every chunk is written once and
 * in order.
 */
final class ChunkOutbox {
  // why: a model far ahead of a stalled log waits here instead of queueing without bound.
  private static final int MAX_QUEUED = 4096;
  // why: bounds one commit, and how long the first chunk of a write waits for the last.
  static final int MAX_PER_WRITE = 256;

  /** The least time since the previous write ended for a chunk to be written by its producer. */
  static final Duration PACED = Duration.ofMillis(5);

  private static final long PACED_NANOS = PACED.toNanos();

  private final Consumer<List<UiChunk>> write;
  private final Coalescing coalescing;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final LongSupplier nanoTime;
  // why: a drainer and a producer's own write never run at once, so chunks stay in order.
  private boolean draining;
  private boolean writingInline;
  private long lastWriteEnded;
  private RuntimeException failure;

  private record Queued(UiChunk chunk, long queuedAt) {}

  /**
   * @param write writes chunks in order, all of them or, throwing {@link PartialAppendException},
   *     the first {@link PartialAppendException#appended} (any other exception: none)
   */
  ChunkOutbox(Consumer<List<UiChunk>> write, Coalescing coalescing) {
    this(write, coalescing, System::nanoTime);
  }

  /** {@code nanoTime}: the clock that tells a paced producer (see {@link #PACED}). */
  ChunkOutbox(Consumer<List<UiChunk>> write, Coalescing coalescing, LongSupplier nanoTime) {
    this.write = write;
    this.coalescing = coalescing;
    this.nanoTime = nanoTime;
    this.lastWriteEnded = nanoTime.getAsLong();
  }

  /**
   * Queues a chunk for writing; waits while the queue is full.
   *
   * @throws RuntimeException the failure of an earlier write (the chunk is not queued), so that the
   *     run stops producing; {@link #flush} tries the failed write again
   */
  void offer(UiChunk chunk) {
    List<UiChunk> own;
    lock.lock();
    try {
      while (queue.size() >= MAX_QUEUED && failure == null) {
        changed.awaitUninterruptibly();
      }
      if (failure != null) {
        throw failure;
      }
      queue.addLast(new Queued(chunk, System.nanoTime()));
      if (draining) {
        if (!coalescing.hold().isZero()) {
          // why: a drainer holding deltas for more of their part looks at each one that comes.
          changed.signalAll();
        }
        return;
      }
      if (writingInline) {
        // why: the write in flight hands what queued behind it to a drainer when it ends.
        return;
      }
      if (!paced()) {
        startDrainer();
        return;
      }
      writingInline = true;
      own = List.of(queue.pollFirst().chunk());
    } finally {
      lock.unlock();
    }
    writeInline(own);
  }

  /** Under the lock: whether the chunk just queued comes at a pace the log keeps up with. */
  private boolean paced() {
    return queue.size() == 1
        && coalescing.hold().isZero()
        && nanoTime.getAsLong() - lastWriteEnded >= PACED_NANOS;
  }

  private void writeInline(List<UiChunk> own) {
    if (!written(own, 0, own.size())) {
      return;
    }
    lock.lock();
    try {
      writingInline = false;
      lastWriteEnded = nanoTime.getAsLong();
      if (!queue.isEmpty()) {
        startDrainer();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes the batch's chunks {@code from} to {@code to}; false if the write failed, and then the
   * batch from the first chunk not written on is queued again, with the failure.
   */
  private boolean written(List<UiChunk> batch, int from, int to) {
    try {
      write.accept(batch.subList(from, to));
      return true;
    } catch (PartialAppendException e) {
      fail(e.getCause(), batch.subList(from + e.appended(), batch.size()));
    } catch (RuntimeException e) {
      fail(e, batch.subList(from, batch.size()));
    }
    return false;
  }

  /** Under the lock. */
  private void startDrainer() {
    draining = true;
    Thread.ofVirtual().name("run-writer").start(this::drain);
  }

  /**
   * Waits until every queued chunk is written.
   *
   * @throws RuntimeException the failure of a write; the chunks from it on stay queued for the next
   *     flush
   */
  void flush() {
    lock.lock();
    try {
      if (failure != null && !draining && !writingInline) {
        // why: a retry after a failed write starts the drainer again from the chunk that failed.
        failure = null;
        if (!queue.isEmpty()) {
          startDrainer();
        }
      }
      while (draining || writingInline) {
        changed.awaitUninterruptibly();
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      List<UiChunk> batch = take();
      if (batch == null) {
        return;
      }
      for (int from = 0; from < batch.size(); from += MAX_PER_WRITE) {
        if (!written(batch, from, Math.min(batch.size(), from + MAX_PER_WRITE))) {
          return;
        }
      }
    }
  }

  /** The queued chunks, merged; null (and the drainer stops) when there are none. */
  private List<UiChunk> take() {
    lock.lock();
    try {
      if (queue.isEmpty()) {
        draining = false;
        lastWriteEnded = nanoTime.getAsLong();
        changed.signalAll();
        return null;
      }
      holdForMore();
      List<UiChunk> batch = new ArrayList<>(Math.min(queue.size(), 64));
      if (coalescing.enabled()) {
        Merger merger = new Merger(batch);
        while (!queue.isEmpty()) {
          merger.add(queue.pollFirst().chunk());
        }
        merger.end();
      } else {
        while (!queue.isEmpty()) {
          batch.add(queue.pollFirst().chunk());
        }
      }
      changed.signalAll();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** With a hold, lets the first queued delta wait (at most the hold) for more of its part. */
  private void holdForMore() {
    if (!coalescing.enabled() || coalescing.hold().isZero()) {
      return;
    }
    Queued first = queue.peekFirst();
    if (!(first.chunk() instanceof UiChunk.TextDelta)
        && !(first.chunk() instanceof UiChunk.ReasoningDelta)) {
      return;
    }
    long until = first.queuedAt() + coalescing.hold().toNanos();
    long left;
    while ((left = until - System.nanoTime()) > 0 && !endsDeltas(queue.peekLast().chunk())) {
      try {
        changed.awaitNanos(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A chunk after which no more deltas of the part follow soon: write what is there. */
  private static boolean endsDeltas(UiChunk chunk) {
    return !(chunk instanceof UiChunk.TextDelta) && !(chunk instanceof UiChunk.ReasoningDelta);
  }

  private void fail(RuntimeException e, List<UiChunk> unwritten) {
    lock.lock();
    try {
      for (int i = unwritten.size() - 1; i >= 0; i--) {
        queue.addFirst(new Queued(unwritten.get(i), System.nanoTime()));
      }
      failure = e;
      draining = false;
      writingInline = false;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds chunks to a batch, consecutive deltas of the same text or reasoning part as one; their
   * text is gathered in one builder, so merging n deltas copies each once.
   */
  private static final class Merger {
    private final List<UiChunk> batch;
    private UiChunk first;
    private StringBuilder text;

    Merger(List<UiChunk> batch) {
      this.batch = batch;
    }

    void add(UiChunk chunk) {
      if (first != null && samePart(first, chunk)) {
        if (text == null) {
          text = new StringBuilder(deltaOf(first));
        }
        text.append(deltaOf(chunk));
        return;
      }
      end();
      if (chunk instanceof UiChunk.TextDelta || chunk instanceof UiChunk.ReasoningDelta) {
        first = chunk;
      } else {
        batch.add(chunk);
      }
    }

    /** Adds the deltas gathered so far. */
    void end() {
      if (first == null) {
        return;
      }
      batch.add(text == null ? first : withDelta(first, text.toString()));
      first = null;
      text = null;
    }

    private static boolean samePart(UiChunk a, UiChunk b) {
      return switch (a) {
        case UiChunk.TextDelta t -> b instanceof UiChunk.TextDelta o && t.id().equals(o.id());
        case UiChunk.ReasoningDelta r ->
            b instanceof UiChunk.ReasoningDelta o && r.id().equals(o.id());
        default -> false;
      };
    }

    private static String deltaOf(UiChunk delta) {
      return delta instanceof UiChunk.TextDelta t
          ? t.delta()
          : ((UiChunk.ReasoningDelta) delta).delta();
    }

    private static UiChunk withDelta(UiChunk delta, String text) {
      return delta instanceof UiChunk.TextDelta t
          ? new UiChunk.TextDelta(t.id(), text)
          : new UiChunk.ReasoningDelta(((UiChunk.ReasoningDelta) delta).id(), text);
    }
  }
}
