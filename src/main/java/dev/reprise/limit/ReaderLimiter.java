package dev.reprise.limit;

import java.util.Optional;

/**
 * Counts the stream readers (open SSE responses) of each account, so that one account cannot hold
 * an unbounded number of connections. With several nodes the count must be shared: a slot taken on
 * one node counts on every other, and the slots of a node that died are given back by themselves
 * within a bounded time.
 */
public interface ReaderLimiter extends AutoCloseable {

  /**
   * Takes one of the account's {@code max} reader slots; empty when all are taken. The lease must
   * be closed when the reader ends.
   */
  Optional<Lease> tryAcquire(String accountId, int max);

  /** How many reader slots the account holds now, over every node. */
  int held(String accountId);

  /** A taken reader slot. Closing it more than once is harmless. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /** Stops any background work; leases still held are left to expire (or vanish with the JVM). */
  @Override
  default void close() {}
}
