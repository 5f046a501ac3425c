package dev.reprise.storage.redis;

import dev.reprise.stream.StreamLog;
import dev.reprise.stream.StreamLogContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStreamLogTest extends StreamLogContract {
  @RegisterExtension final TempRedis redis = new TempRedis();

  @Override
  protected StreamLog createStreamLog() {
    return redis.streamLog(Duration.ofHours(1));
  }

  /** Closed Redis streams expire by key expiry (RedisStreamLogLayoutTest checks it). */
  @Override
  protected boolean sweepsClosedStreams() {
    return false;
  }
}
