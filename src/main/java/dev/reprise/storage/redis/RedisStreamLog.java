package dev.reprise.storage.redis;

import dev.reprise.storage.AppendOutcome;
import dev.reprise.storage.GroupAppends;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.StreamAppend;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamInfo;
import dev.reprise.stream.StreamLog;
import io.lettuce.core.ClientOptions;
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
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Stream logs as Redis streams: chunk i is entry {@code 0-(i+1)} with field {@code d} (and {@code
 * f} when it is the finish chunk), and a closed stream ends with an entry with field {@code e}, so
 * that a remote feed sees the end right after the last chunk. A hash beside it holds created and
 * closed. The stream's length is the tail: chunk i can only be added when the length is i (entries
 * are never trimmed), and a close sets the stream's last id to the maximum, so that no append can
 * follow the end marker. Appends and closes are Lua scripts, so they are exact under concurrent
 * writers. Durability is the server's: appendfsync always makes an acknowledged append survive a
 * crash.
 */
public final class RedisStreamLog implements StreamLog, AutoCloseable {
  private static final int ATTEMPTS = 3;
  private static final RedisScript CREATE =
      new RedisScript(
          """
          if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
          redis.call('DEL', KEYS[1])
          redis.call('HSET', KEYS[2], 'created', ARGV[1])
          return 1
          """);

  /**
   * Appends to any number of streams. KEYS: stream, meta, per append; ARGV, per append: the first
   * index, the number of chunks n, then n times data and finish (1 or 0). An append of several
   * chunks is taken whole or not at all. Returns per append 1, or a refusal: 0 unknown, -1 closed,
   * -2 not the next index. Each entry also carries {@code t}, Redis's clock in milliseconds when it
   * was appended, from which a feed on another node measures how late it delivers.
   */
  private static final RedisScript APPEND =
      new RedisScript(
          """
          local function refusal(meta)
            if redis.call('HEXISTS', meta, 'created') == 0 then return 0 end
            if redis.call('HEXISTS', meta, 'closed') == 1 then return -1 end
            return -2
          end
          local time = redis.call('TIME')
          local now = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
          local function add(stream, id, data, finish)
            if finish == '1' then
              return redis.pcall('XADD', stream, id, 'd', data, 'f', '1', 't', now)
            end
            return redis.pcall('XADD', stream, id, 'd', data, 't', now)
          end
          local function append(stream, meta, index, a, n)
            local first = tonumber(index)
            local length = redis.call('XLEN', stream)
            if length == first then
              if first == 0 and redis.call('HEXISTS', meta, 'created') == 0 then return 0 end
              for j = 0, n - 1 do
                local id = string.format('0-%d', first + j + 1)
                -- fails only after a close, which set the last id to the maximum (then at j = 0)
                if add(stream, id, ARGV[a + 2 * j], ARGV[a + 2 * j + 1])['err'] then return -1 end
              end
              return 1
            end
            -- a retry of the append that made these chunks the tail, its reply lost with the connection
            if length == first + n then
              local id = string.format('0-%d', first + n)
              local last = redis.call('XRANGE', stream, id, id)
              local data, finish = ARGV[a + 2 * n - 2], ARGV[a + 2 * n - 1]
              if last[1] and last[1][2][1] == 'd' and last[1][2][2] == data
                  and (last[1][2][3] == 'f') == (finish == '1') then return 1 end
            end
            return refusal(meta)
          end
          local results = {}
          local a = 1
          for i = 1, #KEYS / 2 do
            local n = tonumber(ARGV[a + 1])
            results[i] = append(KEYS[2 * i - 1], KEYS[2 * i], ARGV[a], a + 2, n)
            a = a + 2 + 2 * n
          end
          return results
          """);

  private static final int MAX_BATCH = 128;
  // why: two batches keep Redis busy, one running while the next one travels and fills up; more
  // in flight only split the waiting appends into smaller batches (64 writers, A/B on 2 cores:
  // 96-129k appends/s with 4 in flight, 133-173k/s with 2).
  private static final int IN_FLIGHT = 2;
  private static final AppendOutcome UNKNOWN = AppendOutcome.refused("unknown");
  private static final AppendOutcome CLOSED = AppendOutcome.refused("closed");
  private static final AppendOutcome NOT_NEXT =
      AppendOutcome.refused("not the next index after the tail");

  /** ARGV: closed at (epoch ms), retention (ms). Returns 1 when it closed the stream. */
  private static final RedisScript CLOSE =
      new RedisScript(
          """
          if redis.call('HEXISTS', KEYS[2], 'created') == 0 then return 0 end
          if redis.call('HEXISTS', KEYS[2], 'closed') == 1 then return 0 end
          redis.call('HSET', KEYS[2], 'closed', ARGV[1])
          local length = redis.call('XLEN', KEYS[1])
          redis.call('XADD', KEYS[1], string.format('0-%d', length + 1), 'e', '1')
          redis.call('XSETID', KEYS[1], '18446744073709551615-18446744073709551615')
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          redis.call('PEXPIRE', KEYS[2], ARGV[2])
          return 1
          """);

  /** Returns {tail, closed (0 or 1)}, or nothing for an unknown stream. */
  private static final RedisScript INFO =
      new RedisScript(
          """
          if redis.call('HEXISTS', KEYS[2], 'created') == 0 then return {} end
          local length = redis.call('XLEN', KEYS[1])
          if redis.call('HEXISTS', KEYS[2], 'closed') == 1 then return {length - 2, 1} end
          return {length - 1, 0}
          """);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final RedisKeys keys;
  private final String retentionMillis;
  private final GroupAppends appends;

  private RedisStreamLog(
      RedisClient client,
      StatefulRedisConnection<String, String> connection,
      String keyPrefix,
      Duration retention,
      IntConsumer batchSizes) {
    this.appends = new GroupAppends(this::appendBatch, MAX_BATCH, IN_FLIGHT, batchSizes);
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
    return connect(redisUrl, keyPrefix, retention, size -> {});
  }

  /** The same, telling {@code batchSizes} the size of every group commit. */
  public static RedisStreamLog connect(
      String redisUrl, String keyPrefix, Duration retention, IntConsumer batchSizes) {
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
    RedisClient client = RedisClients.create(redisUrl, ClientOptions.DisconnectedBehavior.DEFAULT);
    try {
      return new RedisStreamLog(
          client, client.connect(StringCodec.UTF8), keyPrefix, retention, batchSizes);
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

  /**
   * Appends through group commit: the appends of all streams that arrive while a batch is in flight
   * go to Redis together, as one script call.
   */
  @Override
  public void append(String streamId, LogEntry entry) {
    appends.append(streamId, entry);
  }

  /** The entries go to Redis in one script call, which takes them all or none. */
  @Override
  public void appendAll(String streamId, List<LogEntry> entries) {
    appends.appendAll(streamId, entries);
  }

  private List<AppendOutcome> appendBatch(List<StreamAppend> batch) {
    String[] keyList = new String[batch.size() * 2];
    List<String> args = new ArrayList<>(batch.size() * 4);
    for (int i = 0; i < batch.size(); i++) {
      StreamAppend each = batch.get(i);
      keyList[2 * i] = keys.stream(each.streamId());
      keyList[2 * i + 1] = keys.meta(each.streamId());
      args.add(Long.toString(each.entries().getFirst().index()));
      args.add(Integer.toString(each.entries().size()));
      for (LogEntry entry : each.entries()) {
        args.add(entry.data());
        args.add(entry.finish() ? "1" : "0");
      }
    }
    String[] argList = args.toArray(String[]::new);
    List<Long> codes =
        call("append " + batch.size(), () -> APPEND.runEach(redis, keyList, argList));
    List<AppendOutcome> outcomes = new ArrayList<>(codes.size());
    for (long code : codes) {
      outcomes.add(
          code == 1
              ? AppendOutcome.APPENDED
              : code == 0 ? UNKNOWN : code == -1 ? CLOSED : NOT_NEXT);
    }
    return outcomes;
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
      LogEntry entry = RedisKeys.chunk(message);
      if (entry != null) {
        entries.add(entry);
      }
    }
    return entries;
  }

  @Override
  public Optional<StreamInfo> info(String streamId) {
    List<Long> tailAndClosed =
        call("read info of " + streamId, () -> INFO.runEach(redis, keysOf(streamId)));
    if (tailAndClosed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StreamInfo(tailAndClosed.get(0), tailAndClosed.get(1) == 1));
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
