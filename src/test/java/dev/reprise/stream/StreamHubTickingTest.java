package dev.reprise.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a ticking hub, readers park without timers: publishes wake them, and ticks end their waits.
 */
class StreamHubTickingTest {
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final StreamHub hub = new StreamHub(Clock.systemUTC(), Duration.ofMinutes(1));

  @AfterEach
  void stop() {
    ticker.shutdownNow();
  }

  @Test
  void a_wait_with_nothing_published_times_out_at_a_tick() throws Exception {
    hub.startTicking(ticker, Duration.ofMillis(5));
    LiveStream stream = hub.open("s");

    long started = System.nanoTime();
    boolean published = stream.await(0, TimeUnit.MILLISECONDS.toNanos(30));

    assertThat(published).isFalse();
    assertThat(System.nanoTime() - started)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
  }

  @Test
  void a_publish_wakes_a_reader_parked_without_a_timer() throws Exception {
    hub.startTicking(ticker, Duration.ofHours(1));
    LiveStream stream = hub.open("s");
    CompletableFuture<Boolean> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stream.await(0, TimeUnit.HOURS.toNanos(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    stream.offer(Frame.of(new LogEntry(0, "{\"type\":\"start\"}", false)));

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
