package dev.reprise.durable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where Durable Streams' state lives (everything but their data, which is in the stream log). Reads
 * are plain; every change of a stream's state runs inside {@link #locked}, which serialises it with
 * every other locked change of the same streams, on every node.
 */
public interface DsCatalog {

  Optional<DsMeta> find(String key);

  /**
   * Runs {@code work} holding the locks of {@code keys} (taken in a fixed order, so two changes
   * that lock the same streams cannot deadlock). What it writes through the transaction is
   * committed when it returns, and (on backends that can) rolled back if it throws.
   */
  <T> T locked(List<String> keys, Function<Tx, T> work);

  /**
   * Records a read or write of the stream at {@code at}, for its sliding TTL; a time earlier than
   * the one recorded is ignored.
   */
  void touch(String key, Instant at);

  /** How many streams the account has (soft-deleted ones included: they still hold a path). */
  int countByAccount(String accountId);

  /** Adds to the bytes each stream holds (streams no longer there are skipped). */
  void addBytes(java.util.Map<String, Long> bytesByKey);

  /** The bytes the account's streams hold, as last added. */
  long bytesByAccount(String accountId);

  /** Keys of streams that have expired by {@code now}, at most {@code limit} of them. */
  List<String> expired(Instant now, int limit);

  /** The changes one locked piece of work makes. */
  interface Tx {
    Optional<DsMeta> find(String key);

    /** Adds a stream; its {@code touchedAt} starts the sliding TTL. */
    void insert(DsMeta meta);

    /** Replaces a stream's state (its touch time is left alone). */
    void update(DsMeta meta);

    void delete(String key);
  }
}
