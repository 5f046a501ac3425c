package dev.reprise.storage.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Lettuce clients for the stream log and feed, and their shutdown. */
final class RedisClients {
  // why: Lettuce's default reconnect delay grows to 30 s, so a node would stay cut off for that
  // long after a Redis restart that took longer than a few seconds.
  private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);

  private RedisClients() {}

  /**
   * A client for {@code redisUrl}, e.g. {@code redis://127.0.0.1:6379?timeout=10s} (the command
   * timeout; Lettuce's default is 60 s).
   */
  static RedisClient create(String redisUrl, ClientOptions.DisconnectedBehavior whileDisconnected) {
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(1), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, RedisURI.create(redisUrl));
    client.setOptions(ClientOptions.builder().disconnectedBehavior(whileDisconnected).build());
    return client;
  }

  static void shutdown(RedisClient client) {
    client.shutdown();
    client.getResources().shutdown();
  }
}
