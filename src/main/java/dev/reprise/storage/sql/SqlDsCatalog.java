package dev.reprise.storage.sql;

import dev.reprise.durable.DsCatalog;
import dev.reprise.durable.DsMeta;
import dev.reprise.protocol.Json;
import dev.reprise.storage.Jdbc;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The Durable Streams catalog on SQLite or PostgreSQL. A locked change takes this node's lock of
 * each stream first; on PostgreSQL it then runs in one transaction that also takes an advisory lock
 * per stream, which serialises it with every other node.
 */
public final class SqlDsCatalog implements DsCatalog {
  private static final int STRIPES = 1024;
  private static final int MAX_CACHED = 100_000;
  private static final String COLUMNS = "stream_key, meta, touched_at";

  private final Database db;
  private final Json json;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  // why: a locked change holds a pool connection for as long as it runs (the stream log's append
  // included); at most half the pool goes to them, so that the rest (reads, the log's own group
  // commits when it is on PostgreSQL too) can always get one, and nothing waits on itself.
  private final Semaphore transactions;
  // why: on SQLite this process is the only writer, so every change passes here and a copy of each
  // stream's state held in memory is never stale: an append then reads no row. (On PostgreSQL
  // other nodes change rows too; there the row is read each time.)
  private final ConcurrentMap<String, DsMeta> cache;

  public SqlDsCatalog(Database db, Json json) {
    this.db = db;
    this.json = json;
    this.transactions = new Semaphore(Math.max(1, db.poolSize() / 2), true);
    this.cache = db.locksAcrossNodes() ? null : new ConcurrentHashMap<>();
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  @Override
  public Optional<DsMeta> find(String key) {
    if (cache != null) {
      DsMeta cached = cache.get(key);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    // why: only a read under the stream's lock fills the copy; one made outside it could land after
    // a delete and bring the stream back.
    return db.read(c -> find(c, key));
  }

  /** The stream's state, read under its lock: from the copy, or from the row (then copied). */
  private Optional<DsMeta> findLocked(String key) {
    if (cache != null) {
      DsMeta cached = cache.get(key);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    Optional<DsMeta> found = db.read(c -> find(c, key));
    found.ifPresent(this::remember);
    return found;
  }

  private void remember(DsMeta meta) {
    if (cache != null) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(meta.key(), meta);
    }
  }

  private void forget(String key) {
    if (cache != null) {
      cache.remove(key);
    }
  }

  @Override
  public <T> T locked(List<String> keys, Function<Tx, T> work) {
    TreeSet<Integer> held = new TreeSet<>();
    for (String key : keys) {
      held.add(Math.floorMod(key.hashCode(), STRIPES));
    }
    for (int stripe : held) {
      stripes[stripe].lock();
    }
    try {
      if (db.locksAcrossNodes()) {
        transactions.acquireUninterruptibly();
        try {
          return db.write(
              c -> {
                for (String key : new TreeSet<>(keys)) {
                  db.lockFor(c, "ds:" + key);
                }
                return work.apply(new ConnectionTx(c));
              });
        } finally {
          transactions.release();
        }
      }
      return work.apply(new WriteEachTx());
    } finally {
      for (int stripe : held.descendingSet()) {
        stripes[stripe].unlock();
      }
    }
  }

  @Override
  public void touch(String key, Instant at) {
    if (cache != null) {
      cache.computeIfPresent(
          key, (k, meta) -> at.isAfter(meta.touchedAt()) ? meta.withTouched(at) : meta);
    }
    db.write(
        c ->
            Jdbc.update(
                c,
                "UPDATE ds_streams SET touched_at = ? WHERE stream_key = ? AND touched_at < ?",
                at.toEpochMilli(),
                key,
                at.toEpochMilli()));
  }

  @Override
  public int countByAccount(String accountId) {
    return db.read(
        c ->
            Jdbc.queryOne(
                    c,
                    "SELECT COUNT(*) AS n FROM ds_streams WHERE account_id = ?",
                    row -> row.getInt("n"),
                    accountId)
                .orElse(0));
  }

  @Override
  public void addBytes(java.util.Map<String, Long> bytesByKey) {
    if (bytesByKey.isEmpty()) {
      return;
    }
    List<Object[]> rows = new java.util.ArrayList<>(bytesByKey.size());
    // why: in key order, so that two nodes adding to the same rows lock them in the same order.
    new java.util.TreeMap<>(bytesByKey)
        .forEach((key, bytes) -> rows.add(new Object[] {bytes, key}));
    db.write(
        c ->
            Jdbc.updateEach(
                c, "UPDATE ds_streams SET bytes = bytes + ? WHERE stream_key = ?", rows));
  }

  @Override
  public long bytesByAccount(String accountId) {
    return db.read(
        c ->
            Jdbc.queryOne(
                    c,
                    "SELECT COALESCE(SUM(bytes), 0) AS total FROM ds_streams WHERE account_id = ?",
                    row -> row.getLong("total"),
                    accountId)
                .orElse(0L));
  }

  @Override
  public List<String> expired(Instant now, int limit) {
    long millis = now.toEpochMilli();
    return db.read(
        c ->
            Jdbc.query(
                c,
                "SELECT stream_key FROM ds_streams WHERE (expires_at IS NOT NULL AND expires_at <= ?)"
                    + " OR (ttl_seconds IS NOT NULL AND touched_at + ttl_seconds * 1000 <= ?)"
                    + " LIMIT ?",
                row -> row.getString("stream_key"),
                millis,
                millis,
                limit));
  }

  private Optional<DsMeta> find(Connection c, String key) {
    return Jdbc.queryOne(
        c,
        "SELECT " + COLUMNS + " FROM ds_streams WHERE stream_key = ?",
        row ->
            json.read(row.getString("meta"), DsMeta.class)
                .withTouched(Instant.ofEpochMilli(row.getLong("touched_at"))),
        key);
  }

  private void insert(Connection c, DsMeta meta) {
    Jdbc.update(
        c,
        "INSERT INTO ds_streams (stream_key, account_id, meta, ttl_seconds, expires_at, touched_at,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        meta.key(),
        meta.accountId(),
        json.write(meta),
        meta.ttlSeconds(),
        absoluteExpiry(meta),
        meta.touchedAt().toEpochMilli(),
        meta.createdAt().toEpochMilli());
  }

  private void update(Connection c, DsMeta meta) {
    Jdbc.update(
        c,
        "UPDATE ds_streams SET meta = ?, ttl_seconds = ?, expires_at = ? WHERE stream_key = ?",
        json.write(meta),
        meta.ttlSeconds(),
        absoluteExpiry(meta),
        meta.key());
  }

  private static void delete(Connection c, String key) {
    Jdbc.update(c, "DELETE FROM ds_streams WHERE stream_key = ?", key);
  }

  private static Long absoluteExpiry(DsMeta meta) {
    if (meta.ttlSeconds() != null || meta.expiresAt() == null) {
      return null;
    }
    return DsMeta.parseTime(meta.expiresAt()).map(Instant::toEpochMilli).orElse(0L);
  }

  /** Every change in the one transaction that holds the locks. */
  private final class ConnectionTx implements Tx {
    private final Connection c;

    ConnectionTx(Connection c) {
      this.c = c;
    }

    @Override
    public Optional<DsMeta> find(String key) {
      return SqlDsCatalog.this.find(c, key);
    }

    @Override
    public void insert(DsMeta meta) {
      SqlDsCatalog.this.insert(c, meta);
    }

    @Override
    public void update(DsMeta meta) {
      SqlDsCatalog.this.update(c, meta);
    }

    @Override
    public void delete(String key) {
      SqlDsCatalog.delete(c, key);
    }
  }

  /**
   * Each change in a write of its own: on SQLite this node's locks already exclude every other
   * writer of the stream, and the single database writer must not wait on the stream log.
   */
  private final class WriteEachTx implements Tx {
    @Override
    public Optional<DsMeta> find(String key) {
      return findLocked(key);
    }

    @Override
    public void insert(DsMeta meta) {
      db.write(
          c -> {
            SqlDsCatalog.this.insert(c, meta);
            return null;
          });
      remember(meta);
    }

    @Override
    public void update(DsMeta meta) {
      db.write(
          c -> {
            SqlDsCatalog.this.update(c, meta);
            return null;
          });
      if (cache != null) {
        // why: the row keeps its touch time, which a read may have moved on meanwhile.
        cache.merge(
            meta.key(),
            meta,
            (held, changed) ->
                held.touchedAt().isAfter(changed.touchedAt())
                    ? changed.withTouched(held.touchedAt())
                    : changed);
      }
    }

    @Override
    public void delete(String key) {
      db.write(
          c -> {
            SqlDsCatalog.delete(c, key);
            return null;
          });
      forget(key);
    }
  }
}
