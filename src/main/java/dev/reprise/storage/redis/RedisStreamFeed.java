package dev.reprise.storage.redis;

import dev.reprise.storage.StorageException;
import dev.reprise.stream.Frame;
import dev.reprise.stream.LiveStream;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.RemoteFeed;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one reader of Redis streams: a thread that runs a single blocking XREAD over every
 * watched stream, from each mirror's next index, and publishes what it gets into the mirrors. A new
 * watch interrupts the blocked XREAD with CLIENT UNBLOCK from a second connection, so it takes
 * effect at once. Since the cursor is always the mirror's next index and mirrors ignore frames they
 * hold, a reconnect or a retried read neither loses nor repeats a chunk.
 */
public final class RedisStreamFeed implements RemoteFeed {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStreamFeed.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> reader;
  private final StatefulRedisConnection<String, String> control;
  private final RedisKeys keys;
  private final Clock clock;
  private final Timer lag;
  private final Duration block;
  private final int count;
  private final ConcurrentMap<String, LiveStream> watched = new ConcurrentHashMap<>();
  private final AtomicLong watches = new AtomicLong();
  private final Thread readerThread;
  private final FeedUnblocker unblocker;
  private volatile long watchesRead;
  private volatile long readerClientId = -1;
  private volatile boolean running = true;

  RedisStreamFeed(String redisUrl, String keyPrefix, Clock clock, RedisFeedSettings settings) {
    this(redisUrl, keyPrefix, clock, settings, new SimpleMeterRegistry());
  }

  RedisStreamFeed(
      String redisUrl,
      String keyPrefix,
      Clock clock,
      RedisFeedSettings settings,
      MeterRegistry meters) {
    this.lag =
        Timer.builder("reprise.redis.feed.lag")
            .description(
                "From a chunk's append (Redis's clock) to its delivery into this node's mirror")
            .publishPercentileHistogram()
            .register(meters);
    // why: while disconnected, fail reads at once and back off, rather than queue blocking reads
    // that would then run one after the other.
    this.client = RedisClients.create(redisUrl, ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    try {
      this.reader = client.connect(StringCodec.UTF8);
      this.control = client.connect(StringCodec.UTF8);
    } catch (RuntimeException e) {
      RedisClients.shutdown(client);
      throw new StorageException("cannot connect to Redis at " + redisUrl, e);
    }
    this.keys = new RedisKeys(keyPrefix);
    this.clock = clock;
    this.block = settings.block();
    this.count = settings.count();
    this.unblocker =
        new FeedUnblocker(control.sync(), () -> readerClientId, () -> watchesRead, watches::get);
    this.readerThread = Thread.ofPlatform().daemon().name("redis-stream-feed").start(this::run);
    unblocker.start();
  }

  /** Starts the feed of streams under {@code keyPrefix} (the prefix of the RedisStreamLog). */
  public static RedisStreamFeed start(String redisUrl, String keyPrefix, Clock clock) {
    return new RedisStreamFeed(redisUrl, keyPrefix, clock, RedisFeedSettings.DEFAULT);
  }

  /** The same, with the feed's lag measured in {@code meters}. */
  public static RedisStreamFeed start(
      String redisUrl, String keyPrefix, Clock clock, MeterRegistry meters) {
    return new RedisStreamFeed(redisUrl, keyPrefix, clock, RedisFeedSettings.DEFAULT, meters);
  }

  @Override
  public void watch(LiveStream mirror) {
    watched.put(mirror.id(), mirror);
    watches.incrementAndGet();
    LockSupport.unpark(readerThread);
    unblocker.wake();
  }

  @Override
  public void unwatch(LiveStream mirror) {
    watched.remove(mirror.id(), mirror);
  }

  int watchedCount() {
    return watched.size();
  }

  /** The Redis client id of the connection the XREAD runs on, -1 before the first one. */
  long readerClientId() {
    return readerClientId;
  }

  @Override
  public void close() {
    running = false;
    unblocker.stop();
    LockSupport.unpark(readerThread);
    reader.close();
    try {
      readerThread.join(TimeUnit.SECONDS.toMillis(5));
      unblocker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      control.close();
      RedisClients.shutdown(client);
    }
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    while (running) {
      long seen = watches.get();
      watchesRead = seen;
      Map<String, LiveStream> round = new HashMap<>();
      for (LiveStream mirror : watched.values()) {
        if (mirror.closed()) {
          watched.remove(mirror.id(), mirror);
        } else {
          round.put(keys.stream(mirror.id()), mirror);
        }
      }
      if (round.isEmpty()) {
        while (running && watches.get() == seen) {
          LockSupport.park(this);
        }
        continue;
      }
      try {
        readOnce(round);
        if (backoff != MIN_BACKOFF) {
          LOG.info("Redis stream feed reads again");
          backoff = MIN_BACKOFF;
        }
      } catch (Exception e) {
        if (!running) {
          return;
        }
        LOG.warn("Redis stream feed failed to read, retrying in {}: {}", backoff, e.toString());
        LockSupport.parkNanos(this, backoff.toNanos());
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
      }
    }
  }

  private void readOnce(Map<String, LiveStream> round) throws Exception {
    @SuppressWarnings({"unchecked", "rawtypes"})
    StreamOffset<String>[] offsets = new StreamOffset[round.size()];
    int i = 0;
    for (Map.Entry<String, LiveStream> entry : round.entrySet()) {
      offsets[i++] = StreamOffset.from(entry.getKey(), "0-" + entry.getValue().next());
    }
    RedisAsyncCommands<String, String> redis = reader.async();
    // why: pipelined with the XREAD, so the id is that of the connection the XREAD blocks on, also
    // after a reconnect.
    RedisFuture<Long> clientId = redis.clientId();
    RedisFuture<List<StreamMessage<String, String>>> read =
        redis.xread(XReadArgs.Builder.block(block).count(count), offsets);
    readerClientId = clientId.get(block.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    List<StreamMessage<String, String>> messages =
        read.get(block.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    if (messages == null) {
      return;
    }
    for (StreamMessage<String, String> message : messages) {
      LiveStream mirror = round.get(message.getStream());
      if (mirror != null) {
        deliver(mirror, message);
      }
    }
  }

  private void deliver(LiveStream mirror, StreamMessage<String, String> message) {
    LogEntry chunk = RedisKeys.chunk(message);
    if (chunk != null) {
      mirror.offer(Frame.of(chunk));
      String appended = message.getBody().get("t");
      if (appended != null) {
        // why: Redis's clock against this node's; a skew shows as lag, never as a negative one.
        lag.record(Math.max(0, clock.millis() - Long.parseLong(appended)), TimeUnit.MILLISECONDS);
      }
    } else if (message.getBody().containsKey("e")) {
      mirror.close(clock.instant());
      watched.remove(mirror.id(), mirror);
    }
  }
}
