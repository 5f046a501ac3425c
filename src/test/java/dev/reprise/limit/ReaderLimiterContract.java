package dev.reprise.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ReaderLimiter} must do. A backend's test says how to create an empty one. */
public abstract class ReaderLimiterContract {
  protected ReaderLimiter limiter;

  /** A limiter that holds no slot yet, for one test; the test's backend closes it. */
  protected abstract ReaderLimiter createLimiter();

  @BeforeEach
  void createIt() {
    limiter = createLimiter();
  }

  @Test
  void an_account_gets_up_to_max_slots_and_no_more() {
    Optional<ReaderLimiter.Lease> first = limiter.tryAcquire("alice", 2);
    Optional<ReaderLimiter.Lease> second = limiter.tryAcquire("alice", 2);

    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(limiter.tryAcquire("alice", 2)).isEmpty();
    assertThat(limiter.held("alice")).isEqualTo(2);
  }

  @Test
  void accounts_have_separate_slots() {
    assertThat(limiter.tryAcquire("alice", 1)).isPresent();

    assertThat(limiter.tryAcquire("bob", 1)).isPresent();
    assertThat(limiter.tryAcquire("alice", 1)).isEmpty();
    assertThat(limiter.held("bob")).isEqualTo(1);
    assertThat(limiter.held("carol")).isZero();
  }

  @Test
  void closing_a_lease_gives_its_slot_back_once() {
    ReaderLimiter.Lease lease = limiter.tryAcquire("alice", 2).orElseThrow();
    ReaderLimiter.Lease kept = limiter.tryAcquire("alice", 2).orElseThrow();

    lease.close();
    lease.close();

    assertThat(limiter.held("alice")).isEqualTo(1);
    assertThat(limiter.tryAcquire("alice", 2)).isPresent();
    assertThat(limiter.tryAcquire("alice", 2)).isEmpty();
    kept.close();
    assertThat(limiter.held("alice")).isEqualTo(1);
  }

  @Test
  void of_concurrent_acquires_exactly_max_succeed() throws Exception {
    int max = 5;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> attempts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < 40; i++) {
        attempts.add(
            pool.submit(
                () -> {
                  go.await();
                  return limiter.tryAcquire("alice", max).isPresent();
                }));
      }
      go.countDown();
      int taken = 0;
      for (Future<Boolean> attempt : attempts) {
        taken += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }

      assertThat(taken).isEqualTo(max);
      assertThat(limiter.held("alice")).isEqualTo(max);
    }
  }
}
