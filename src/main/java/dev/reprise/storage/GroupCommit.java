package dev.reprise.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Group commit: concurrent callers' items are written together, as one batch per round trip or
 * transaction, while each caller still waits for its own item to be durable. There is no thread of
 * its own: the first caller to find no batch in flight leads, takes what is queued (up to a limit)
 * and runs it; the others park until their item is done. When a batch ends, the oldest waiter leads
 * the next one, so no caller keeps working for the others. A lone caller runs a batch of one at
 * once.
 *
 * @param <I> an item to write
 * @param <O> the outcome of one item
 */
public final class GroupCommit<I, O> {

  /**
   * Writes a batch; returns one outcome per item, in order, or throws if the batch failed whole.
   */
  @FunctionalInterface
  public interface Batch<I, O> {
    List<O> write(List<I> items);
  }

  private final Batch<I, O> batch;
  private final IntConsumer batchSizes;
  private final int maxBatch;
  private final int maxInFlight;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param maxBatch the most items in one batch
   * @param maxInFlight the most batches written at the same time: 1 for a backend with a single
   *     writer; more where round trips, not the backend, limit throughput
   */
  public GroupCommit(Batch<I, O> batch, int maxBatch, int maxInFlight) {
    this(batch, maxBatch, maxInFlight, size -> {});
  }

  /**
   * @param batchSizes told the size of every batch before it is written (for the operator)
   */
  public GroupCommit(Batch<I, O> batch, int maxBatch, int maxInFlight, IntConsumer batchSizes) {
    if (maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException(
          "maxBatch and maxInFlight must be at least 1: " + maxBatch + ", " + maxInFlight);
    }
    this.batch = batch;
    this.batchSizes = batchSizes;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  /** Writes {@code item} in a batch and returns its outcome once that batch is written. */
  public O submit(I item) {
    Pending<I, O> pending = new Pending<>(item, Thread.currentThread());
    boolean lead;
    lock.lock();
    try {
      lead = inFlight < maxInFlight;
      if (lead) {
        inFlight++;
      } else {
        queue.add(pending);
      }
    } finally {
      lock.unlock();
    }
    // why: an interrupt must not reach the batch write, which is other callers' work too (a JDBC or
    // Redis call may give up when its thread is interrupted); the caller gets it back at the end.
    boolean interrupted = Thread.interrupted();
    try {
      if (!lead) {
        interrupted |= pending.awaitDoneOrLead();
      }
      if (!pending.done) {
        leadOneBatch(pending);
      }
      return pending.outcome();
    } finally {
      if (interrupted || Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Writes a batch of the leader's own item and the oldest queued ones. */
  private void leadOneBatch(Pending<I, O> leader) {
    List<Pending<I, O>> taken = new ArrayList<>();
    taken.add(leader);
    lock.lock();
    try {
      while (taken.size() < maxBatch && !queue.isEmpty()) {
        taken.add(queue.poll());
      }
    } finally {
      lock.unlock();
    }
    try {
      write(taken);
    } finally {
      handOver();
      for (Pending<I, O> each : taken) {
        each.wake();
      }
    }
  }

  private void write(List<Pending<I, O>> taken) {
    List<I> items = new ArrayList<>(taken.size());
    for (Pending<I, O> each : taken) {
      items.add(each.item);
    }
    try {
      batchSizes.accept(items.size());
      List<O> outcomes = batch.write(items);
      if (outcomes.size() != items.size()) {
        throw new IllegalStateException(
            "a batch of " + items.size() + " returned " + outcomes.size() + " outcomes");
      }
      for (int i = 0; i < taken.size(); i++) {
        taken.get(i).succeed(outcomes.get(i));
      }
    } catch (RuntimeException | Error e) {
      for (Pending<I, O> each : taken) {
        each.fail(e);
      }
    }
  }

  private void handOver() {
    Pending<I, O> next;
    lock.lock();
    try {
      next = queue.poll();
      if (next == null) {
        inFlight--;
      } else {
        next.lead = true;
      }
    } finally {
      lock.unlock();
    }
    if (next != null) {
      LockSupport.unpark(next.thread);
    }
  }

  private static final class Pending<I, O> {
    final I item;
    final Thread thread;
    volatile boolean done;
    volatile boolean lead;
    private O outcome;
    private Throwable failure;

    Pending(I item, Thread thread) {
      this.item = item;
      this.thread = thread;
    }

    void succeed(O value) {
      outcome = value;
      done = true;
    }

    void fail(Throwable e) {
      failure = e;
      done = true;
    }

    void wake() {
      if (thread != Thread.currentThread()) {
        LockSupport.unpark(thread);
      }
    }

    /**
     * Parks until the item is written or this caller is asked to lead. Not interruptible: the item
     * is queued and will be written either way, so the caller learns its outcome. Returns whether
     * the thread was interrupted meanwhile (its interrupt status is cleared).
     */
    boolean awaitDoneOrLead() {
      boolean interrupted = false;
      while (!done && !lead) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
      return interrupted;
    }

    O outcome() {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return outcome;
    }
  }
}
