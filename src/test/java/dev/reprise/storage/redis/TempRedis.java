package dev.reprise.storage.redis;

import dev.reprise.testing.TestEnvironment;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A unique key prefix in the test Redis (REPRISE_TEST_REDIS_URL, else 127.0.0.1:6379) for one test,
 * and the logs and feeds opened under it; closes them and deletes the keys after the test. Register
 * it as an instance field with {@code @RegisterExtension}.
 */
final class TempRedis implements AfterEachCallback {
  static final String URL =
      System.getenv().getOrDefault("REPRISE_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  final String prefix = "reprise-test:" + UUID.randomUUID() + ":";

  /** The name of every connection opened here, so that a test can kill just those. */
  final String clientName = "reprise-test-" + UUID.randomUUID();

  private final String url = URL + (URL.contains("?") ? "&" : "?") + "clientName=" + clientName;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private RedisClient admin;
  private StatefulRedisConnection<String, String> adminConnection;

  /** Skips (or fails in CI) the test when Redis is not reachable. */
  RedisCommands<String, String> admin() {
    if (admin == null) {
      admin = RedisClient.create(RedisURI.create(URL));
      try {
        adminConnection = admin.connect();
        adminConnection.sync().ping();
      } catch (RuntimeException e) {
        admin.shutdown();
        admin = null;
        TestEnvironment.require(false, "Redis at " + URL);
      }
    }
    return adminConnection.sync();
  }

  RedisStreamLog streamLog(Duration retention) {
    admin();
    return track(RedisStreamLog.connect(url, prefix, retention));
  }

  RedisStreamFeed feed(Clock clock, RedisFeedSettings settings) {
    return feed(clock, settings, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  RedisStreamFeed feed(
      Clock clock, RedisFeedSettings settings, io.micrometer.core.instrument.MeterRegistry meters) {
    admin();
    return track(new RedisStreamFeed(url, prefix, clock, settings, meters));
  }

  RedisReaderLimiter readerLimiter(String nodeId, Clock clock, Duration lease, boolean renew) {
    admin();
    return track(RedisReaderLimiter.connect(url, prefix, nodeId, clock, lease, renew));
  }

  /** Ids of the connections of this test's logs and feeds. */
  List<Long> connections() {
    List<Long> ids = new ArrayList<>();
    for (String client : admin().clientList().split("\n")) {
      if (client.contains(" name=" + clientName + " ")) {
        ids.add(Long.parseLong(client.substring(3, client.indexOf(' '))));
      }
    }
    return ids;
  }

  /**
   * Kills every connection of this test's logs and feeds, like CLIENT KILL TYPE normal without
   * disturbing anyone else's; returns how many.
   */
  int killConnections() {
    int killed = 0;
    for (long id : connections()) {
      killed += admin().clientKill(KillArgs.Builder.id(id)).intValue();
    }
    return killed;
  }

  /** The flags of a client (b: blocked), empty when there is no such client. */
  String clientFlags(long id) {
    for (String client : admin().clientList().split("\n")) {
      if (client.startsWith("id=" + id + " ")) {
        int start = client.indexOf(" flags=") + 7;
        return client.substring(start, client.indexOf(' ', start));
      }
    }
    return "";
  }

  <T extends AutoCloseable> T track(T resource) {
    opened.add(resource);
    return resource;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
    opened.clear();
    if (admin != null) {
      RedisCommands<String, String> redis = adminConnection.sync();
      ScanIterator<String> keys =
          ScanIterator.scan(redis, ScanArgs.Builder.matches(prefix + "*").limit(500));
      while (keys.hasNext()) {
        redis.del(keys.next());
      }
      adminConnection.close();
      admin.shutdown();
      admin = null;
    }
  }
}
