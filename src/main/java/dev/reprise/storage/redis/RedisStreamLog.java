package dev.reprise.storage.redis;

import dev.reprise.storage.StorageException;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamConflictException;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stream logs as Redis streams: chunk i is entry {@code 0-(i+1)} with field {@code d}, and a closed
 * stream ends with an entry with field {@code e}, so that a remote feed sees the end right after
 * the last chunk. A hash beside it holds created, tail and closed. Appends and closes are Lua
 * scripts, so they are exact under concurrent writers. Durability is the server's: appendfsync
 * always makes an acknowledged append survive a crash.
 */
public final class RedisStreamLog implements StreamLog, AutoCloseable {
  private static final int ATTEMPTS = 3;
  private static final RedisScript CREATE =
      new RedisScript(
          """
          if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[2], 'created', ARGV[1], 'tail', '-1')
          return 1
          """);

  /** ARGV: index, index - 1, entry id, data. Returns 1, or a refusal: 0, -1, -2. */
  private static final RedisScript APPEND =
      new RedisScript(
          """
          local meta = redis.call('HMGET', KEYS[2], 'tail', 'closed')
          local tail = meta[1]
          if not tail then return 0 end
          -- a retry of the append that made this chunk the tail, its reply lost with the connection
          if tail == ARGV[1] then
            local last = redis.call('XRANGE', KEYS[1], ARGV[3], ARGV[3])
            if last[1] and last[1][2][1] == 'd' and last[1][2][2] == ARGV[4] then return 1 end
          end
          if meta[2] then return -1 end
          if tail ~= ARGV[2] then return -2 end
          redis.call('XADD', KEYS[1], ARGV[3], 'd', ARGV[4])
          redis.call('HSET', KEYS[2], 'tail', ARGV[1])
          return 1
          """);

  /** ARGV: closed at (epoch ms), retention (ms). Returns 1 when it closed the stream. */
  private static final RedisScript CLOSE =
      new RedisScript(
          """
          local meta = redis.call('HMGET', KEYS[2], 'tail', 'closed')
          if not meta[1] or meta[2] then return 0 end
          redis.call('HSET', KEYS[2], 'closed', ARGV[1])
          redis.call('XADD', KEYS[1], string.format('0-%d', tonumber(meta[1]) + 2), 'e', '1')
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
          return 1
          """);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final RedisKeys keys;
  private final String retentionMillis;

  private RedisStreamLog(
      RedisClient client,
      StatefulRedisConnection<String, String> connection,
      String keyPrefix,
      Duration retention) {
    this.client = client;
    this.connection = connection;
    this.redis = connection.sync();
    this.keys = new RedisKeys(keyPrefix);
    this.retentionMillis = Long.toString(retention.toMillis());
  }

  /**
   * Connects to {@code redisUrl} (e.g. {@code redis://127.0.0.1:6379?timeout=10s}); closed streams
   * expire {@code retention} after their close. While the connection is down, commands wait for the
   * reconnect, up to the command timeout.
   */
  public static RedisStreamLog connect(String redisUrl, String keyPrefix, Duration retention) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    RedisClient client = RedisClients.create(redisUrl, ClientOptions.DisconnectedBehavior.DEFAULT);
    try {
      return new RedisStreamLog(client, client.connect(StringCodec.UTF8), keyPrefix, retention);
    } catch (RuntimeException e) {
      RedisClients.shutdown(client);
      throw new StorageException("cannot connect to Redis at " + redisUrl, e);
    }
  }

  @Override
  public void create(String streamId, Instant now) {
    call(
        "create " + streamId,
        () -> CREATE.run(redis, keysOf(streamId), Long.toString(now.toEpochMilli())));
  }

  @Override
  public void append(String streamId, long index, String data) {
    long result =
        call(
            "append to " + streamId,
            () ->
                APPEND.run(
                    redis,
                    keysOf(streamId),
                    Long.toString(index),
                    Long.toString(index - 1),
                    RedisKeys.entryId(index),
                    data));
    if (result != 1) {
      String why =
          result == 0 ? "unknown" : result == -1 ? "closed" : "not the next index after the tail";
      throw new StreamConflictException(
          "stream " + streamId + " refused index " + index + " (" + why + ")");
    }
  }

  @Override
  public void close(String streamId, Instant now) {
    call(
        "close " + streamId,
        () ->
            CLOSE.run(redis, keysOf(streamId), Long.toString(now.toEpochMilli()), retentionMillis));
  }

  @Override
  public List<LogEntry> read(String streamId, long fromIndex, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    Range<String> range =
        Range.from(
            Range.Boundary.including(RedisKeys.entryId(Math.max(0, fromIndex))),
            Range.Boundary.unbounded());
    List<StreamMessage<String, String>> messages =
        call(
            "read " + streamId,
            () -> redis.xrange(keys.stream(streamId), range, Limit.from(limit)));
    List<LogEntry> entries = new ArrayList<>(messages.size());
    for (StreamMessage<String, String> message : messages) {
      String data = message.getBody().get("d");
      if (data != null) {
        entries.add(new LogEntry(RedisKeys.index(message.getId()), data));
      }
    }
    return entries;
  }

  @Override
  public Optional<StreamInfo> info(String streamId) {
    List<KeyValue<String, String>> meta =
        call("read info of " + streamId, () -> redis.hmget(keys.meta(streamId), "tail", "closed"));
    if (!meta.get(0).hasValue()) {
      return Optional.empty();
    }
    return Optional.of(
        new StreamInfo(Long.parseLong(meta.get(0).getValue()), meta.get(1).hasValue()));
  }

  /**
   * Returns 0: closing a stream sets its keys to expire after the retention period, so Redis
   * deletes finished streams itself, and a sweep here would have to SCAN the whole key space.
   */
  @Override
  public int deleteClosedBefore(Instant cutoff) {
    return 0;
  }

  @Override
  public void delete(String streamId) {
    call("delete " + streamId, () -> redis.del(keysOf(streamId)));
  }

  /** Whether Redis answers now (for readiness). */
  public boolean isReachable() {
    try {
      return "PONG".equals(connection.async().ping().get(2, java.util.concurrent.TimeUnit.SECONDS));
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    connection.close();
    RedisClients.shutdown(client);
  }

  private String[] keysOf(String streamId) {
    return new String[] {keys.stream(streamId), keys.meta(streamId)};
  }

  /**
   * Runs a command, again when the connection failed under it: every command here is idempotent,
   * and a retried append of the chunk that is already the tail succeeds, so a reply lost with the
   * connection neither fails nor doubles a write.
   */
  private static <T> T call(String what, Supplier<T> command) {
    for (int attempt = 1; ; attempt++) {
      try {
        return command.get();
      } catch (RedisCommandExecutionException | RedisCommandTimeoutException e) {
        throw new StorageException("Redis failed to " + what, e);
      } catch (RedisException e) {
        if (attempt == ATTEMPTS) {
          throw new StorageException("Redis failed to " + what, e);
        }
      }
    }
  }
}
