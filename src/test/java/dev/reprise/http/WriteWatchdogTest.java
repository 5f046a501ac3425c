package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteWatchdogTest {
  private final WriteWatchdog watchdog = new WriteWatchdog(Duration.ofMillis(40));
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void stop() {
    never.countDown();
    watchdog.close();
  }

  @Test
  void a_write_blocked_past_the_timeout_has_its_thread_interrupted() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    Thread.ofVirtual()
        .start(
            () -> {
              try (WriteWatchdog.Watch watch = watchdog.watch()) {
                watch.arm();
                blockUntilInterrupted(interrupted);
              }
            });

    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(watchdog.cutOff()).isEqualTo(1);
  }

  @Test
  void a_finished_write_is_never_interrupted() {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread.ofVirtual()
        .start(
            () -> {
              try (WriteWatchdog.Watch watch = watchdog.watch()) {
                watch.arm();
                watch.disarm();
                blockUntilInterrupted(done);
                interrupted.set(done.getCount() == 0);
              }
            });

    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !interrupted.get() && watchdog.cutOff() == 0);
  }

  @Test
  void a_closed_watch_is_no_longer_watched() {
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread.ofVirtual()
        .start(
            () -> {
              WriteWatchdog.Watch watch = watchdog.watch();
              watch.arm();
              watch.close();
              try {
                never.await();
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            });

    await()
        .during(Duration.ofMillis(400))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !interrupted.get() && watchdog.cutOff() == 0);
  }

  private void blockUntilInterrupted(CountDownLatch interrupted) {
    try {
      never.await();
    } catch (InterruptedException e) {
      interrupted.countDown();
    }
  }
}
