package dev.reprise.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * The machine's Redis for tests (127.0.0.1:6379, or REPRISE_TEST_REDIS_URL); callers use a key
 * prefix.
 */
public final class TestRedis {
  private static final String URL =
      System.getenv().getOrDefault("REPRISE_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  private TestRedis() {}

  public static String url() {
    return URL;
  }

  /** Skips (or fails, in CI) when Redis does not answer. */
  public static void require() {
    TestEnvironment.require(reachable(), "Redis at " + URL);
  }

  private static boolean reachable() {
    RedisURI uri = RedisURI.create(URL);
    uri.setTimeout(Duration.ofSeconds(2));
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      return "PONG".equals(c.sync().ping());
    } catch (RuntimeException e) {
      return false;
    } finally {
      client.shutdown();
    }
  }

  /** Deletes every key that starts with {@code prefix}. */
  public static void deleteKeys(String prefix) {
    RedisClient client = RedisClient.create(URL);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page =
            c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
        if (!page.getKeys().isEmpty()) {
          c.sync().del(page.getKeys().toArray(String[]::new));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } finally {
      client.shutdown();
    }
  }
}
