package dev.reprise.storage.redis;

import dev.reprise.limit.ReaderLimiter;
import dev.reprise.storage.StorageException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reader slots shared by every node through Redis: one sorted set per account, whose members are
 * this node's leases ({@code node|uuid}) scored by when they expire. A node renews its own leases
 * every third of the lease time; a node that dies stops renewing, so its readers drop out of the
 * count within one lease time, with no cleanup by anyone. Taking a slot is one script: drop the
 * expired members, count, add.
 */
public final class RedisReaderLimiter implements ReaderLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RedisReaderLimiter.class);

  private static final RedisScript ACQUIRE =
      new RedisScript(
          """
          redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
          if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
            return 0
          end
          redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
          redis.call('PEXPIRE', KEYS[1], ARGV[5])
          return 1
          """);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String prefix;
  private final String nodeId;
  private final Clock clock;
  private final Duration leaseTime;
  private final ConcurrentMap<String, String> leases = new ConcurrentHashMap<>(); // member -> key
  private final ScheduledExecutorService renewer;

  private RedisReaderLimiter(
      RedisClient client,
      StatefulRedisConnection<String, String> connection,
      String prefix,
      String nodeId,
      Clock clock,
      Duration leaseTime,
      boolean renew) {
    this.client = client;
    this.connection = connection;
    this.redis = connection.sync();
    this.prefix = prefix;
    this.nodeId = nodeId;
    this.clock = clock;
    this.leaseTime = leaseTime;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("reader-leases").factory());
    if (renew) {
      long every = Math.max(1, leaseTime.toMillis() / 3);
      renewer.scheduleWithFixedDelay(this::renewSafely, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Connects to {@code redisUrl}; leases of this node ({@code nodeId}) last {@code leaseTime} past
   * their last renewal.
   */
  public static RedisReaderLimiter connect(
      String redisUrl, String prefix, String nodeId, Clock clock, Duration leaseTime) {
    return connect(redisUrl, prefix, nodeId, clock, leaseTime, true);
  }

  /** As {@link #connect}; without {@code renew}, leases are renewed only by {@link #renew()}. */
  public static RedisReaderLimiter connect(
      String redisUrl,
      String prefix,
      String nodeId,
      Clock clock,
      Duration leaseTime,
      boolean renew) {
    if (leaseTime.compareTo(Duration.ofMillis(100)) < 0) {
      throw new IllegalArgumentException("lease time must be at least 100ms: " + leaseTime);
    }
    RedisClient client = RedisClients.create(redisUrl, ClientOptions.DisconnectedBehavior.DEFAULT);
    try {
      return new RedisReaderLimiter(
          client, client.connect(StringCodec.UTF8), prefix, nodeId, clock, leaseTime, renew);
    } catch (RuntimeException e) {
      RedisClients.shutdown(client);
      throw new StorageException("cannot connect to Redis at " + redisUrl, e);
    }
  }

  private String key(String accountId) {
    return prefix + "readers:{" + accountId + "}";
  }

  @Override
  public Optional<Lease> tryAcquire(String accountId, int max) {
    String key = key(accountId);
    String member = nodeId + "|" + UUID.randomUUID();
    long now = clock.millis();
    long taken =
        ACQUIRE.run(
            redis,
            new String[] {key},
            Long.toString(now),
            Long.toString(now + leaseTime.toMillis()),
            Integer.toString(max),
            member,
            Long.toString(leaseTime.toMillis() * 2));
    if (taken != 1) {
      return Optional.empty();
    }
    leases.put(member, key);
    AtomicBoolean released = new AtomicBoolean();
    return Optional.of(
        () -> {
          if (released.compareAndSet(false, true)) {
            leases.remove(member);
            try {
              redis.zrem(key, member);
            } catch (RuntimeException e) {
              // why: the slot expires by itself within one lease time, as a dead node's would.
              LOG.warn("could not release a reader slot in Redis: {}", e.toString());
            }
          }
        });
  }

  @Override
  public int held(String accountId) {
    return Math.toIntExact(
        redis.zcount(
            key(accountId),
            io.lettuce.core.Range.create((double) clock.millis() + 1, Double.POSITIVE_INFINITY)));
  }

  /** Pushes the expiry of every lease this node holds one lease time ahead. */
  public void renew() {
    double until = clock.millis() + leaseTime.toMillis();
    for (Map.Entry<String, String> lease : leases.entrySet()) {
      // why: XX only updates a member that is still there; a released one is not brought back.
      redis.zadd(lease.getValue(), io.lettuce.core.ZAddArgs.Builder.xx(), until, lease.getKey());
      redis.pexpire(lease.getValue(), leaseTime.toMillis() * 2);
    }
  }

  private void renewSafely() {
    try {
      renew();
    } catch (RuntimeException e) {
      LOG.warn("could not renew reader slots in Redis: {}", e.toString());
    }
  }

  /** Stops renewing (the leases then expire, as a dead node's do) and disconnects. */
  @Override
  public void close() {
    renewer.shutdownNow();
    connection.close();
    RedisClients.shutdown(client);
  }
}
