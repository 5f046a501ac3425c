package dev.reprise.storage.redis;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.stream.Frame;
import dev.reprise.stream.FrameSink;
import dev.reprise.stream.StreamHub;
import dev.reprise.stream.StreamReader;
import dev.reprise.stream.StreamReader.End;
import dev.reprise.stream.StreamWriter;
import dev.reprise.testing.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Node A writes streams to Redis; node B's readers follow them through the feed. */
class RedisStreamFeedTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final TempRedis redis = new TempRedis();

  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private RedisStreamLog logA;
  private StreamHub hubA;
  private RedisStreamFeed feed;
  private StreamHub hubB;
  private StreamReader readerB;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeEach
  void start_two_nodes() {
    logA = redis.streamLog(Duration.ofMinutes(10));
    hubA = new StreamHub(clock, Duration.ofMinutes(1));
    // why: a block time far beyond every wait below, so that only an unblock can start a new watch.
    feed = redis.feed(clock, new RedisFeedSettings(Duration.ofMinutes(2), 1024), meters);
    hubB = new StreamHub(clock, Duration.ofMinutes(1), feed);
    readerB = new StreamReader(redis.streamLog(Duration.ofMinutes(10)), hubB, WAIT, ofMillis(5));
  }

  @AfterEach
  void stop_readers() {
    threads.shutdownNow();
  }

  /** Awaits with a short poll interval, as each step of these tests waits on the one before. */
  private static void waitUntil(Callable<Boolean> condition) {
    await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(ofMillis(2)).until(condition);
  }

  private static Duration ofMillis(long millis) {
    return Duration.ofMillis(millis);
  }

  private StreamWriter open(String streamId) {
    logA.create(streamId, clock.instant());
    return new StreamWriter(logA, hubA.open(streamId), clock, 0);
  }

  private Future<End> follow(String streamId, Recorder recorder) {
    return threads.submit(() -> readerB.follow(streamId, 0, recorder));
  }

  private static void write(StreamWriter writer, int count) {
    for (int i = 0; i < count; i++) {
      writer.append("{\"n\":" + (writer.tailIndex() + 1) + "}", false);
    }
  }

  private static List<Long> range(long count) {
    return LongStream.range(0, count).boxed().toList();
  }

  @Test
  void every_chunk_delivered_through_the_feed_is_timed_for_the_feed_lag() throws Exception {
    StreamWriter writer = open("lag");
    Recorder recorder = new Recorder();
    follow("lag", recorder);
    write(writer, 5);
    waitUntil(() -> recorder.indices.size() >= 5);
    assertThat(meters.get("reprise.redis.feed.lag").timer().count()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void twenty_readers_joining_at_different_moments_get_every_index_once_and_end_at_the_close()
      throws Exception {
    int step = 25;
    StreamWriter writer = open("s");
    List<Recorder> recorders = new ArrayList<>();
    List<Future<End>> follows = new ArrayList<>();
    Recorder first = new Recorder();
    recorders.add(first);
    follows.add(follow("s", first));
    for (int r = 1; r < 20; r++) {
      write(writer, step);
      int written = r * step;
      waitUntil(() -> first.indices.size() >= written);
      Recorder late = new Recorder();
      recorders.add(late);
      follows.add(follow("s", late));
    }
    write(writer, step);
    writer.close();

    for (Future<End> follow : follows) {
      assertThat(follow.get(WAIT.toSeconds(), SECONDS)).isEqualTo(End.CLOSED);
    }
    for (Recorder recorder : recorders) {
      assertThat(recorder.indices).containsExactlyElementsOf(range(20 * step));
    }
    waitUntil(() -> feed.watchedCount() == 0);
  }

  @Test
  void a_stream_attached_while_the_feed_blocks_on_other_streams_starts_promptly() throws Exception {
    open("idle");
    follow("idle", new Recorder());
    List<Long> latenciesMicros = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      waitUntil(() -> redis.clientFlags(feed.readerClientId()).contains("b"));
      StreamWriter writer = open("busy-" + s);
      write(writer, 3);
      Recorder recorder = new Recorder();
      long start = System.nanoTime();
      follow("busy-" + s, recorder);

      await()
          .atMost(Duration.ofSeconds(2))
          .pollInterval(ofMillis(1))
          .until(() -> recorder.indices.size() == 3);
      latenciesMicros.add((recorder.firstAt - start) / 1_000);
    }
    System.out.printf(
        "watch -> first frame (us), sorted: %s%n", latenciesMicros.stream().sorted().toList());
  }

  @Test
  void the_feed_survives_its_connections_being_killed_mid_stream_without_loss_or_duplicates()
      throws Exception {
    int total = 600;
    int window = 40;
    StreamWriter writer = open("s");
    Recorder recorder = new Recorder();
    Future<End> follow = follow("s", recorder);
    // why: the writer stays at most a window ahead of the reader, so that each kill lands while
    // appends and reads are in flight.
    Future<?> writing =
        threads.submit(
            () -> {
              for (int i = 0; i < total; i++) {
                if (i >= window && !recorder.delivered.tryAcquire(WAIT.toSeconds(), SECONDS)) {
                  throw new AssertionError("reader stalled before index " + (i - window));
                }
                write(writer, 1);
              }
              return null;
            });
    List<Integer> killed = new ArrayList<>();
    for (int seen = 100; seen < total; seen += 100) {
      int atLeast = seen;
      waitUntil(() -> recorder.indices.size() >= atLeast && redis.connections().size() == 4);
      killed.add(redis.killConnections());
    }
    writing.get(WAIT.toSeconds(), SECONDS);
    writer.close();

    assertThat(follow.get(WAIT.toSeconds(), SECONDS)).isEqualTo(End.CLOSED);
    assertThat(recorder.indices).containsExactlyElementsOf(range(total));
    assertThat(killed).containsExactly(4, 4, 4, 4, 4);
  }

  @Test
  void frames_from_the_feed_end_the_stream_as_their_writer_said() throws Exception {
    StreamWriter writer = open("s");
    Recorder recorder = new Recorder();
    Future<End> follow = follow("s", recorder);
    waitUntil(() -> feed.watchedCount() == 1);

    writer.append("{\"type\":\"finish\"}", false);
    writer.append("{\"type\":\"finish\",\"finishReason\":\"stop\"}", true);
    writer.close();

    assertThat(follow.get(WAIT.toSeconds(), SECONDS)).isEqualTo(End.CLOSED);
    assertThat(recorder.finishes).containsExactly(false, true);
  }

  @Test
  void a_run_that_starts_on_its_readers_node_is_read_from_redis_only_once_handed_over()
      throws Exception {
    logA.create("s", clock.instant());
    Recorder recorder = new Recorder();
    Future<End> follow = follow("s", recorder);
    waitUntil(() -> feed.watchedCount() == 1);

    StreamWriter localB = new StreamWriter(logA, hubB.openAt("s", 0), clock, 0);
    assertThat(feed.watchedCount()).isZero();
    write(localB, 3);
    waitUntil(() -> recorder.indices.size() == 3);

    hubB.handOver("s");
    assertThat(feed.watchedCount()).isEqualTo(1);
    StreamWriter takenOverByA = new StreamWriter(logA, hubA.openAt("s", 3), clock, 3);
    write(takenOverByA, 3);
    takenOverByA.close();

    assertThat(follow.get(WAIT.toSeconds(), SECONDS)).isEqualTo(End.CLOSED);
    assertThat(recorder.indices).isEqualTo(range(6));
  }

  /**
   * Records the indices a reader sent and whether each ended the stream, when the first one came,
   * and counts them in a semaphore.
   */
  static final class Recorder implements FrameSink {
    final List<Long> indices = new CopyOnWriteArrayList<>();
    final List<Boolean> finishes = new CopyOnWriteArrayList<>();
    final Semaphore delivered = new Semaphore(0);
    volatile long firstAt;

    @Override
    public void write(List<Frame> frames) {
      if (indices.isEmpty()) {
        firstAt = System.nanoTime();
      }
      frames.forEach(frame -> indices.add(frame.index()));
      frames.forEach(frame -> finishes.add(frame.finish()));
      delivered.release(frames.size());
    }

    @Override
    public void heartbeat() {}
  }
}
