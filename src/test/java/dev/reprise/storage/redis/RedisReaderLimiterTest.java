package dev.reprise.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.limit.ReaderLimiter;
import dev.reprise.limit.ReaderLimiterContract;
import dev.reprise.testing.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisReaderLimiterTest extends ReaderLimiterContract {
  private static final Duration LEASE = Duration.ofSeconds(30);

  @RegisterExtension final TempRedis redis = new TempRedis();
  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");

  @Override
  protected ReaderLimiter createLimiter() {
    return redis.readerLimiter("node-a", clock, LEASE, false);
  }

  @Test
  void a_slot_taken_on_one_node_counts_on_another() {
    RedisReaderLimiter other = redis.readerLimiter("node-b", clock, LEASE, false);
    ReaderLimiter.Lease lease = limiter.tryAcquire("alice", 2).orElseThrow();

    assertThat(other.tryAcquire("alice", 2)).isPresent();
    assertThat(other.tryAcquire("alice", 2)).isEmpty();
    assertThat(limiter.held("alice")).isEqualTo(2);
    lease.close();
    assertThat(other.tryAcquire("alice", 2)).isPresent();
  }

  @Test
  void the_slots_of_a_node_that_stopped_renewing_expire_after_one_lease_time() {
    RedisReaderLimiter dead = redis.readerLimiter("node-dead", clock, LEASE, false);
    dead.tryAcquire("alice", 2).orElseThrow();
    dead.tryAcquire("alice", 2).orElseThrow();
    assertThat(limiter.tryAcquire("alice", 2)).isEmpty();

    clock.advance(LEASE.minusSeconds(1));
    assertThat(limiter.tryAcquire("alice", 2)).isEmpty();
    clock.advance(Duration.ofSeconds(1));

    assertThat(limiter.held("alice")).isZero();
    assertThat(limiter.tryAcquire("alice", 2)).isPresent();
  }

  @Test
  void renewed_slots_outlive_the_lease_time_and_released_ones_are_not_brought_back() {
    RedisReaderLimiter node = (RedisReaderLimiter) limiter;
    ReaderLimiter.Lease kept = node.tryAcquire("alice", 2).orElseThrow();
    ReaderLimiter.Lease released = node.tryAcquire("alice", 2).orElseThrow();
    released.close();

    clock.advance(LEASE.minusSeconds(5));
    node.renew();
    clock.advance(Duration.ofSeconds(10));

    assertThat(node.held("alice")).isEqualTo(1);
    assertThat(node.tryAcquire("alice", 1)).isEmpty();
    kept.close();
    assertThat(node.tryAcquire("alice", 1)).isPresent();
  }
}
