package dev.reprise.durable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes each account's streams hold, against its quota. Appends add to counts in memory, which
 * {@link #flush} writes to the catalog about once a second: an append costs no extra write, and the
 * quota holds to within about a second of appends per node (a crash loses at most that much of the
 * count, never data).
 */
final class DsUsage {
  private static final Duration FRESH = Duration.ofSeconds(1);

  private final DsCatalog catalog;
  private final Clock clock;
  private final long maxBytes;
  private final ConcurrentMap<String, AtomicLong> pending = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicLong> pendingByAccount = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Stored> stored = new ConcurrentHashMap<>();

  private record Stored(long bytes, Instant readAt) {}

  DsUsage(DsCatalog catalog, Clock clock, long maxBytes) {
    this.catalog = catalog;
    this.clock = clock;
    this.maxBytes = maxBytes;
  }

  /**
   * Reads the account's stored count when the one held is older than a second. Call it before
   * taking a stream's lock: on PostgreSQL the lock holds a pool connection, and a read inside it
   * would need a second one.
   */
  void refresh(String accountId) {
    Instant now = clock.instant();
    Stored known = stored.get(accountId);
    if (known == null || known.readAt().plus(FRESH).isBefore(now)) {
      stored.put(accountId, new Stored(catalog.bytesByAccount(accountId), now));
    }
  }

  /**
   * Refuses an append that would take the account past its quota, by the count {@link #refresh}
   * read and what this node added since; reads nothing.
   *
   * @throws DsException 429
   */
  void check(String accountId, long adding) {
    Stored known = stored.get(accountId);
    long used = (known == null ? 0 : known.bytes()) + pendingOf(accountId);
    if (used + adding > maxBytes) {
      throw new DsException(
          429, "the account's streams hold " + used + " bytes; its limit is " + maxBytes, Map.of());
    }
  }

  void add(DsMeta meta, long bytes) {
    pending.computeIfAbsent(meta.key(), k -> new AtomicLong()).addAndGet(bytes);
    pendingByAccount.computeIfAbsent(meta.accountId(), k -> new AtomicLong()).addAndGet(bytes);
  }

  /** Writes the counts gathered since the last flush. */
  void flush() {
    Map<String, Long> deltas = new HashMap<>();
    for (var entry : pending.entrySet()) {
      long bytes = entry.getValue().getAndSet(0);
      if (bytes != 0) {
        deltas.put(entry.getKey(), bytes);
      }
    }
    pending.entrySet().removeIf(e -> e.getValue().get() == 0);
    if (deltas.isEmpty()) {
      return;
    }
    // why: taken off the pending counts first; for the moment until the write lands, an account
    // looks a little emptier than it is, never fuller (no spurious refusal near the limit).
    for (var entry : deltas.entrySet()) {
      AtomicLong account = pendingByAccount.get(accountOf(entry.getKey()));
      if (account != null) {
        account.addAndGet(-entry.getValue());
      }
    }
    catalog.addBytes(deltas);
    // why: the stored count is stale now; until the next refresh, what was just written is counted
    // as pending again, so the account never looks emptier for long.
    for (var entry : deltas.entrySet()) {
      stored.computeIfPresent(
          accountOf(entry.getKey()),
          (account, known) -> new Stored(known.bytes() + entry.getValue(), known.readAt()));
    }
  }

  private static String accountOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  private long pendingOf(String accountId) {
    AtomicLong bytes = pendingByAccount.get(accountId);
    return bytes == null ? 0 : bytes.get();
  }
}
