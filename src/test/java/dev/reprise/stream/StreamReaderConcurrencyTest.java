package dev.reprise.stream;

import static dev.reprise.stream.RecordingSink.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.testing.SettableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** StreamReader under concurrency: many readers, failing readers, and a hub that lets go. */
class StreamReaderConcurrencyTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");
  private final StreamHub hub = new StreamHub(clock, Duration.ofMinutes(1));
  private StreamLog log;

  @BeforeEach
  void openLog() {
    log = new SqlStreamLog(sqlite.database(dir));
  }

  private StreamReader reader() {
    return reader(hub);
  }

  private StreamReader reader(StreamHub readersHub) {
    return new StreamReader(log, readersHub, Duration.ofSeconds(10), Duration.ofMillis(5));
  }

  /** Opens a stream the way a run does: registered in the hub and created in the log. */
  private StreamWriter open(String streamId) {
    log.create(streamId, clock.instant());
    return new StreamWriter(log, hub.open(streamId), clock, 0);
  }

  private static void write(StreamWriter writer, int count) {
    for (int i = 0; i < count; i++) {
      writer.append("c" + (writer.tailIndex() + 1), false);
    }
  }

  @ParameterizedTest(name = "live mirror from index {0}, of at most {1} frames")
  @CsvSource({"0, 1024", "700, 1024", "0, 16", "700, 2"})
  void fifty_readers_joining_at_random_moments_each_get_every_index_once_in_order(
      int liveBase, int mirrorCapacity) throws Exception {
    StreamHub hub = new StreamHub(clock, Duration.ofMinutes(1), null, mirrorCapacity);
    int total = 2000;
    int readers = 50;
    log.create("s", clock.instant());
    for (int i = 0; i < liveBase; i++) {
      log.append("s", new LogEntry(i, "c" + i, false));
    }
    StreamWriter writer = new StreamWriter(log, hub.openAt("s", liveBase), clock, liveBase);
    // why: reader r is released once the writer has written up to index joinAt[r] (exclusive);
    // reader 0 joins before the writer's first chunk.
    Random random = new Random(42);
    List<List<CountDownLatch>> releaseAt = new ArrayList<>();
    for (int i = 0; i <= total; i++) {
      releaseAt.add(new ArrayList<>());
    }
    List<CountDownLatch> gates = new ArrayList<>();
    List<RecordingSink> recorders = new ArrayList<>();
    for (int r = 0; r < readers; r++) {
      CountDownLatch gate = new CountDownLatch(1);
      int joinAt = r == 0 ? 0 : liveBase + random.nextInt(total - liveBase + 1);
      releaseAt.get(joinAt).add(gate);
      gates.add(gate);
      recorders.add(new RecordingSink());
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<StreamReader.End>> ends = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        CountDownLatch gate = gates.get(r);
        RecordingSink recorder = recorders.get(r);
        ends.add(
            pool.submit(
                () -> {
                  gate.await();
                  return reader(hub).follow("s", 0, recorder);
                }));
      }
      Future<?> writing =
          pool.submit(
              () -> {
                for (int i = 0; i <= liveBase; i++) {
                  releaseAt.get(i).forEach(CountDownLatch::countDown);
                }
                for (int i = liveBase; i < total; i++) {
                  writer.append("c" + i, false);
                  releaseAt.get(i + 1).forEach(CountDownLatch::countDown);
                }
                writer.close();
              });
      writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      for (Future<StreamReader.End> end : ends) {
        assertThat(end.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamReader.End.CLOSED);
      }
    }
    List<Long> expected = range(0, total);
    for (int r = 0; r < readers; r++) {
      RecordingSink recorder = recorders.get(r);
      assertThat(recorder.indices()).as("reader %d", r).isEqualTo(expected);
      assertThat(recorder.frames)
          .as("reader %d", r)
          .allSatisfy(f -> assertThat(f.data()).isEqualTo("c" + f.index()));
    }
  }

  @Test
  void a_reader_whose_sink_fails_ends_with_that_exception_and_others_carry_on() throws Exception {
    StreamWriter writer = open("s");
    IOException gone = new IOException("client went away");
    RecordingSink failing =
        new RecordingSink() {
          @Override
          void beforeWrite(List<Frame> batch) throws IOException {
            if (batch.getLast().index() >= 2) {
              throw gone;
            }
          }
        };
    RecordingSink healthy = new RecordingSink();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<StreamReader.End> failed = pool.submit(() -> reader().follow("s", 0, failing));
      Future<StreamReader.End> fine = pool.submit(() -> reader().follow("s", 0, healthy));
      for (int i = 0; i < 10; i++) {
        write(writer, 1);
        if (i == 4) {
          assertThatThrownBy(() -> failed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
              .isInstanceOf(ExecutionException.class)
              .cause()
              .isSameAs(gone);
        }
      }
      writer.close();

      assertThat(fine.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamReader.End.CLOSED);
    }
    assertThat(healthy.indices()).isEqualTo(range(0, 10));
  }

  @Test
  void a_stream_evicted_from_the_hub_mid_read_is_finished_from_the_log() throws Exception {
    StreamWriter writer = open("s");
    write(writer, 3);
    CountDownLatch firstBatch = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    RecordingSink recorder =
        new RecordingSink() {
          @Override
          void beforeWrite(List<Frame> batch) {
            if (firstBatch.getCount() > 0) {
              firstBatch.countDown();
              try {
                resume.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<StreamReader.End> end = pool.submit(() -> reader().follow("s", 0, recorder));
      assertThat(firstBatch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      write(writer, 7);
      writer.close();
      clock.advance(Duration.ofMinutes(2));
      assertThat(hub.evictClosed()).isEqualTo(1);
      assertThat(hub.find("s")).isEmpty();
      resume.countDown();

      assertThat(end.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamReader.End.CLOSED);
    }
    assertThat(recorder.indices()).isEqualTo(range(0, 10));
  }

  /**
   * The end of a stream as runs make it: the last two frames and the close back to back, while a
   * reader is at the tail. The race this guards (the close seen after an empty take, missing the
   * last frame) has a window of nanoseconds, so one pass rarely hits it; the soak did.
   */
  @Test
  void a_reader_at_the_tail_gets_the_last_frame_however_the_close_interleaves() throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int round = 0; round < 1000; round++) {
        String id = "end-" + round;
        StreamWriter writer = open(id);
        writer.append("c0", false);
        RecordingSink recorder = new RecordingSink();
        CountDownLatch atTail = new CountDownLatch(1);
        RecordingSink signalling =
            new RecordingSink() {
              @Override
              void beforeWrite(List<Frame> batch) {
                atTail.countDown();
              }

              @Override
              public void write(List<Frame> batch) throws IOException {
                super.write(batch);
                recorder.write(batch);
              }
            };
        Future<StreamReader.End> end = pool.submit(() -> reader().follow(id, 0, signalling));
        atTail.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        writer.append("c1", false);
        writer.append("c2", false);
        writer.close();

        assertThat(end.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamReader.End.CLOSED);
        assertThat(recorder.indices()).as("round %d", round).isEqualTo(range(0, 3));
      }
    }
  }
}
