package dev.reprise.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.storage.redis.RedisStreamFeedTest.Recorder;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamReader;
import dev.reprise.stream.StreamReader.End;
import dev.reprise.stream.StreamWriter;
import dev.reprise.testing.RedisServerProcess;
import dev.reprise.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Redis that is SIGKILLed and restarted keeps every acknowledged chunk, and the feed goes on. */
class RedisRestartTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");

  @Test
  void acknowledged_chunks_survive_a_killed_redis_and_the_feed_continues() throws Exception {
    Duration retention = Duration.ofMinutes(10);
    try (RedisServerProcess server = RedisServerProcess.start(dir);
        RedisStreamLog logA = RedisStreamLog.connect(server.url(), "r:", retention);
        RedisStreamLog logB = RedisStreamLog.connect(server.url(), "r:", retention);
        RedisStreamFeed feed =
            new RedisStreamFeed(server.url(), "r:", clock, RedisFeedSettings.DEFAULT);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      StreamHub hubA = new StreamHub(clock, Duration.ofMinutes(1));
      StreamHub hubB = new StreamHub(clock, Duration.ofMinutes(1), feed);
      StreamReader readerB = new StreamReader(logB, hubB, WAIT, Duration.ofMillis(5));
      logA.create("s", clock.instant());
      StreamWriter writer = new StreamWriter(logA, hubA.open("s"), clock, 0);
      Recorder recorder = new Recorder();
      Future<End> follow = threads.submit(() -> readerB.follow("s", 0, recorder));
      for (int i = 0; i < 50; i++) {
        writer.append("{\"n\":" + i + "}", false);
      }

      server.kill();
      server.startAgain();

      assertThat(logB.read("s", 0, 1000)).extracting(LogEntry::index).hasSize(50);
      for (int i = 50; i < 100; i++) {
        writer.append("{\"n\":" + i + "}", false);
      }
      writer.close();
      assertThat(follow.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(End.CLOSED);
      assertThat(recorder.indices)
          .containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
      await().atMost(WAIT).until(() -> feed.watchedCount() == 0);
    }
  }
}
