package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SetupGateTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void no_more_than_its_concurrency_set_up_at_once_and_a_release_lets_the_next_in()
      throws InterruptedException {
    SetupGate gate = new SetupGate(2);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (SetupGate.Pass pass = gate.enter()) {
                      most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                      awaitQuietly(finish);
                      inside.decrementAndGet();
                    }
                  }));
    }
    await().atMost(WAIT).until(() -> gate.busy() == 2 && gate.waiting() == 3);
    assertThat(inside).hasValue(2);

    finish.countDown();
    for (Thread thread : threads) {
      assertThat(thread.join(WAIT)).isTrue();
    }
    assertThat(most).hasValue(2);
    assertThat(gate.busy()).isZero();
    assertThat(gate.waiting()).isZero();
  }

  @Test
  void a_pass_released_early_and_then_closed_gives_its_turn_back_once()
      throws InterruptedException {
    SetupGate gate = new SetupGate(1);
    try (SetupGate.Pass pass = gate.enter()) {
      pass.release();
      pass.release();
    }
    assertThat(gate.busy()).isZero();

    SetupGate.Pass held = gate.enter();
    AtomicReference<SetupGate.Pass> second = new AtomicReference<>();
    Thread waiter = Thread.ofVirtual().start(() -> second.set(gate.enter()));
    await().atMost(WAIT).until(() -> gate.waiting() == 1);
    assertThat(second.get()).isNull();

    held.close();
    await().atMost(WAIT).until(() -> second.get() != null);
    assertThat(gate.busy()).isEqualTo(1);
    second.get().close();
    assertThat(gate.busy()).isZero();
    assertThat(waiter.join(WAIT)).isTrue();
  }

  @Test
  void a_request_interrupted_while_it_waits_gets_503_and_keeps_its_interrupt() throws Exception {
    SetupGate gate = new SetupGate(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    try (SetupGate.Pass held = gate.enter()) {
      Thread waiter =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      gate.enter().close();
                    } catch (RuntimeException e) {
                      thrown.set(e);
                      stillInterrupted.set(Thread.currentThread().isInterrupted());
                    }
                  });
      await().atMost(WAIT).until(() -> gate.waiting() == 1);
      waiter.interrupt();
      assertThat(waiter.join(WAIT)).isTrue();
    }
    assertThat(thrown.get())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThat(stillInterrupted.get()).isTrue();
    assertThat(gate.busy()).isZero();
  }

  @Test
  void a_gate_needs_room_for_one() {
    assertThatThrownBy(() -> new SetupGate(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
