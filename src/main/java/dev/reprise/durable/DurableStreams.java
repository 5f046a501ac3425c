package dev.reprise.durable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.stream.LogEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The streams of the Durable Streams protocol, per account: their creation (forks included),
 * metadata, deletion and expiry. Appends are {@link DsWriter}'s, reads {@link DsReader}'s.
 *
 * <p>A fork copies its source's entries up to the fork point into a log of its own, so that it
 * reads alike whatever later happens to the source; the source only keeps a count of its forks,
 * which keeps its path reserved (soft-deleted, {@code 410}) after a delete until the last fork
 * goes.
 */
public final class DurableStreams {
  private static final int COPY_PAGE = 512;
  private static final int SWEEP_BATCH = 200;
  private static final Duration IDLE_MIRROR = Duration.ofMinutes(5);

  private final DsCatalog catalog;
  private final DsLogs logs;
  private final Clock clock;
  private final ObjectMapper mapper;
  private final DsLimits limits;
  private final DsUsage usage;
  private final ConcurrentMap<String, Instant> lastTouch = new ConcurrentHashMap<>();

  DurableStreams(
      DsCatalog catalog, DsLogs logs, Clock clock, ObjectMapper mapper, DsLimits limits) {
    this.catalog = catalog;
    this.logs = logs;
    this.clock = clock;
    this.mapper = mapper;
    this.limits = limits;
    this.usage = new DsUsage(catalog, clock, limits.maxAccountBytes());
  }

  /** The catalog key of an account's stream. */
  public static String key(String accountId, String path) {
    return accountId + "/" + path;
  }

  /** The result of a create: whether it made the stream, the stream and its next index. */
  public record Created(boolean isNew, DsMeta meta, long next) {}

  /** The stream and its next index, for {@code HEAD}. */
  public record Head(DsMeta meta, long next) {}

  public Created create(String accountId, String path, DsCreate request) {
    String key = key(accountId, path);
    String sourceKey = request.fork() == null ? null : key(accountId, request.fork().sourcePath());
    List<String> keys = sourceKey == null ? List.of(key) : List.of(key, sourceKey);
    String[] expiredSource = {null};
    // why: read before the lock, which on PostgreSQL holds a pool connection; both are quotas, so
    // a count a moment old is good enough.
    usage.refresh(accountId);
    boolean atStreamLimit = catalog.countByAccount(accountId) >= limits.maxStreams();
    try {
      return catalog.locked(
          keys, tx -> createLocked(tx, accountId, path, request, expiredSource, atStreamLimit));
    } finally {
      releaseForks(expiredSource[0]);
    }
  }

  private Created createLocked(
      DsCatalog.Tx tx,
      String accountId,
      String path,
      DsCreate request,
      String[] expiredSource,
      boolean atStreamLimit) {
    String key = key(accountId, path);
    String sourceKey = request.fork() == null ? null : key(accountId, request.fork().sourcePath());
    Instant now = clock.instant();
    Optional<DsMeta> existing = tx.find(key);
    if (existing.isPresent()) {
      DsMeta old = existing.get();
      if (old.expiredAt(now) && old.refCount() == 0) {
        expiredSource[0] = remove(tx, old);
      } else if (old.softDeleted() || old.expiredAt(now)) {
        throw DsException.conflict(
            "the stream was deleted but still has forks: its path cannot be reused yet");
      } else if (DsCreation.sameConfig(old, request, sourceKey)) {
        return new Created(false, old, logs.next(old.logId()));
      } else {
        throw DsException.conflict("the stream exists with another configuration");
      }
    }
    if (atStreamLimit) {
      throw new DsException(
          429, "the account has " + limits.maxStreams() + " streams, its limit", Map.of());
    }
    return createNew(tx, accountId, path, key, sourceKey, request, now);
  }

  private Created createNew(
      DsCatalog.Tx tx,
      String accountId,
      String path,
      String key,
      String sourceKey,
      DsCreate request,
      Instant now) {
    String logId = "ds-" + UUID.randomUUID();
    DsCreation creation = new DsCreation(mapper);
    DsMeta source = null;
    long forkIndex = 0;
    String contentType = request.contentType();
    if (sourceKey != null) {
      source = tx.find(sourceKey).filter(s -> !s.expiredAt(now)).orElseThrow(DsException::notFound);
      if (source.softDeleted()) {
        throw DsException.conflict("the source stream was deleted but still has forks");
      }
      if (contentType != null && !DsContent.sameType(contentType, source.contentType())) {
        throw DsException.conflict("a fork has its source's content type");
      }
      contentType = contentType == null ? source.contentType() : contentType;
      forkIndex = forkIndexOf(source, request.fork().offset());
    }
    usage.check(accountId, request.body().length);
    logs.create(logId);
    long copied = 0;
    try {
      if (source != null) {
        copied = copy(source, forkIndex, request.fork().subOffset(), logId, creation, accountId);
      }
      if (request.body().length > 0) {
        creation.appendInitial(logs, logId, contentType, request.body());
      }
      if (request.closed()) {
        logs.close(logId);
      }
    } catch (RuntimeException e) {
      logs.delete(logId);
      throw e;
    }
    DsMeta meta =
        creation.meta(key, accountId, path, logId, contentType, request, source, forkIndex, now);
    tx.insert(meta);
    usage.add(meta, copied + request.body().length);
    if (source != null) {
      tx.update(source.withRefCount(source.refCount() + 1));
    }
    return new Created(true, meta, logs.next(logId));
  }

  /** The index a fork of {@code source} at {@code offset} starts after (null: the tail). */
  private long forkIndexOf(DsMeta source, String offset) {
    long tail = logs.next(source.logId());
    if (offset == null) {
      return tail;
    }
    long index = DsOffset.index(offset);
    if (index > tail) {
      throw DsException.badRequest("the fork offset is past the source stream's end");
    }
    return index;
  }

  /** Copies the source's entries up to the fork point; returns how many characters it copied. */
  private long copy(
      DsMeta source, long forkIndex, long subOffset, String logId, DsCreation c, String accountId) {
    long copied = 0;
    for (long from = 0; from < forkIndex; ) {
      List<LogEntry> page =
          logs.read(source.logId(), from, (int) Math.min(COPY_PAGE, forkIndex - from));
      if (page.isEmpty()) {
        throw DsException.gone();
      }
      long pageSize = page.stream().mapToLong(e -> e.data().length()).sum();
      usage.check(accountId, copied + pageSize);
      for (LogEntry entry : page) {
        logs.append(logId, entry.data());
        copied += entry.data().length();
      }
      from = page.getLast().index() + 1;
    }
    if (subOffset > 0) {
      List<LogEntry> at = logs.read(source.logId(), forkIndex, 1);
      if (at.isEmpty()) {
        throw DsException.badRequest("there is no data past the fork offset to split");
      }
      String prefix = c.prefix(at.getFirst().data(), subOffset, source.isJson());
      logs.append(logId, prefix);
      copied += prefix.length();
    }
    return copied;
  }

  public Head head(String accountId, String path) {
    DsMeta meta = live(key(accountId, path));
    return new Head(meta, logs.next(meta.logId()));
  }

  /**
   * The stream as it stands, for any operation on it.
   *
   * @throws DsException 404 when there is none (or it expired), 410 when it is soft-deleted
   */
  public DsMeta live(String key) {
    DsMeta meta = catalog.find(key).orElseThrow(DsException::notFound);
    if (meta.expiredAt(clock.instant())) {
      expire(key);
      meta = catalog.find(key).orElseThrow(DsException::notFound);
    }
    if (meta.softDeleted()) {
      throw DsException.gone();
    }
    return meta;
  }

  /** Restarts the sliding TTL of a stream that has one (reads and writes do; HEAD does not). */
  public void touch(DsMeta meta) {
    if (meta.ttlSeconds() == null) {
      return;
    }
    Instant now = clock.instant();
    long gapMillis = Math.min(1000, meta.ttlSeconds() * 100);
    Instant previous = lastTouch.get(meta.key());
    if (previous != null && previous.plusMillis(gapMillis).isAfter(now)) {
      return;
    }
    lastTouch.put(meta.key(), now);
    catalog.touch(meta.key(), now);
  }

  public void delete(String accountId, String path) {
    String key = key(accountId, path);
    boolean[] expired = {false};
    String parent =
        catalog.locked(
            List.of(key),
            tx -> {
              DsMeta meta = tx.find(key).orElseThrow(DsException::notFound);
              if (meta.softDeleted()) {
                throw DsException.gone();
              }
              expired[0] = meta.expiredAt(clock.instant());
              if (expired[0] && meta.refCount() > 0) {
                tx.update(meta.asSoftDeleted());
                throw DsException.gone();
              }
              return remove(tx, meta);
            });
    releaseForks(parent);
    if (expired[0]) {
      throw DsException.notFound();
    }
  }

  /** Expires one stream whose time is up; a stream with forks is soft-deleted instead. */
  public void expire(String key) {
    String parent =
        catalog.locked(
            List.of(key),
            tx -> {
              Optional<DsMeta> meta = tx.find(key);
              if (meta.isEmpty()
                  || !meta.get().expiredAt(clock.instant())
                  || meta.get().softDeleted()) {
                return null;
              }
              return remove(tx, meta.get());
            });
    releaseForks(parent);
  }

  DsUsage usage() {
    return usage;
  }

  /** Expires what has expired, and writes the byte counts; returns how many streams expired. */
  public int sweep() {
    usage.flush();
    logs.evictIdleMirrors(IDLE_MIRROR);
    List<String> due = catalog.expired(clock.instant(), SWEEP_BATCH);
    due.forEach(this::expire);
    return due.size();
  }

  /** Deletes the stream, or soft-deletes it when forks remain; returns its source's key, if any. */
  private String remove(DsCatalog.Tx tx, DsMeta meta) {
    lastTouch.remove(meta.key());
    if (meta.refCount() > 0) {
      tx.update(meta.asSoftDeleted());
      logs.delete(meta.logId());
      return null;
    }
    tx.delete(meta.key());
    logs.delete(meta.logId());
    return meta.forkedFrom();
  }

  /** Takes one fork off each source up the chain, deleting sources soft-deleted meanwhile. */
  private void releaseForks(String sourceKey) {
    String next = sourceKey;
    while (next != null) {
      String key = next;
      next =
          catalog.locked(
              List.of(key),
              tx -> {
                Optional<DsMeta> source = tx.find(key);
                if (source.isEmpty()) {
                  return null;
                }
                DsMeta released = source.get().withRefCount(source.get().refCount() - 1);
                if (released.softDeleted() && released.refCount() == 0) {
                  tx.delete(key);
                  return released.forkedFrom();
                }
                tx.update(released);
                return null;
              });
    }
  }

  DsLogs logs() {
    return logs;
  }

  DsCatalog catalog() {
    return catalog;
  }

  Clock clock() {
    return clock;
  }
}
