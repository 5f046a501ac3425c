package dev.reprise.stream;

import static dev.reprise.stream.RecordingSink.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.params.provider.ValueSource;

class StreamReaderTest {
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

  private StreamReader reader(Duration heartbeat) {
    return new StreamReader(log, hub, heartbeat, Duration.ofMillis(5));
  }

  private StreamReader reader() {
    return reader(Duration.ofSeconds(10));
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

  @Test
  void a_closed_stream_is_replayed_from_the_log_from_zero_or_from_an_index() throws Exception {
    StreamWriter writer = open("s");
    write(writer, 5);
    writer.close();
    hub.remove("s");
    RecordingSink all = new RecordingSink();
    RecordingSink tail = new RecordingSink();
    RecordingSink past = new RecordingSink();

    assertThat(reader().follow("s", 0, all)).isEqualTo(StreamReader.End.CLOSED);
    assertThat(reader().follow("s", 3, tail)).isEqualTo(StreamReader.End.CLOSED);
    assertThat(reader().follow("s", 5, past)).isEqualTo(StreamReader.End.CLOSED);

    assertThat(all.indices()).isEqualTo(range(0, 5));
    assertThat(all.frames).extracting(Frame::data).containsExactly("c0", "c1", "c2", "c3", "c4");
    assertThat(all.frames.get(2).sse()).isEqualTo(SseEncoder.event(2, "c2"));
    assertThat(tail.indices()).isEqualTo(range(3, 5));
    assertThat(past.frames).isEmpty();
    assertThat(past.finishedBefore).isFalse();
  }

  @Test
  void a_closed_stream_still_in_the_hub_is_replayed_from_an_index() throws Exception {
    StreamWriter writer = open("s");
    write(writer, 5);
    writer.close();
    RecordingSink recorder = new RecordingSink();

    assertThat(reader().follow("s", 2, recorder)).isEqualTo(StreamReader.End.CLOSED);

    assertThat(recorder.indices()).isEqualTo(range(2, 5));
  }

  @Test
  void a_mirror_that_closed_short_of_the_log_hands_the_rest_over_to_the_log() throws Exception {
    // A survivor node's mirror, fed by the remote feed, stopped at chunk 2 when the writer's node
    // died; recovery then wrote the end to the log but the frames never reached this mirror.
    log.create("s", clock.instant());
    LiveStream mirror = hub.openAt("s", 0);
    for (int i = 0; i < 3; i++) {
      log.append("s", new LogEntry(i, "c" + i, false));
      mirror.offer(Frame.of(new LogEntry(i, "c" + i, false)));
    }
    log.append("s", new LogEntry(3, "c3", false));
    log.append("s", new LogEntry(4, "{\"type\":\"finish\"}", true));
    log.close("s", clock.instant());
    mirror.close(clock.instant());
    RecordingSink from1 = new RecordingSink();

    assertThat(reader().follow("s", 1, from1)).isEqualTo(StreamReader.End.CLOSED);

    assertThat(from1.indices()).isEqualTo(range(1, 5));
    assertThat(from1.frames.getLast().finish()).isTrue();
  }

  @Test
  void the_tail_index_comes_from_the_log_or_from_a_closed_mirror() {
    StreamWriter writer = open("s");
    write(writer, 5);
    assertThat(reader().tailIndex("s")).isEqualTo(4);
    assertThat(reader().tailIndex("nowhere")).isEqualTo(-1);
    open("empty");
    assertThat(reader().tailIndex("empty")).isEqualTo(-1);

    writer.close();
    log.delete("s");

    // why: the log no longer knows the stream, so only the closed mirror can answer 4.
    assertThat(reader().tailIndex("s")).isEqualTo(4);
    hub.remove("s");
    assertThat(reader().tailIndex("s")).isEqualTo(-1);
  }

  @Test
  void an_unknown_stream_ends_as_missing() throws Exception {
    RecordingSink recorder = new RecordingSink();

    assertThat(reader().follow("nowhere", 0, recorder)).isEqualTo(StreamReader.End.MISSING);
    assertThat(recorder.frames).isEmpty();
  }

  @Test
  void a_reader_follows_a_live_stream_until_it_closes() throws Exception {
    StreamWriter writer = open("s");
    write(writer, 3);
    RecordingSink recorder = new RecordingSink();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<StreamReader.End> end = pool.submit(() -> reader().follow("s", 0, recorder));
      await().atMost(WAIT).until(() -> recorder.frames.size() == 3);

      write(writer, 3);
      writer.close();

      assertThat(end.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamReader.End.CLOSED);
    }
    assertThat(recorder.indices()).isEqualTo(range(0, 6));
  }

  @Test
  void a_reader_that_joins_before_the_first_chunk_gets_every_chunk() throws Exception {
    StreamWriter writer = open("s");
    RecordingSink recorder = new RecordingSink(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<StreamReader.End> end =
          pool.submit(() -> reader(Duration.ofMillis(20)).follow("s", 0, recorder));
      assertThat(recorder.heartbeats.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      write(writer, 4);
      writer.close();

      assertThat(end.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamReader.End.CLOSED);
    }
    assertThat(recorder.indices()).isEqualTo(range(0, 4));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void a_reader_that_sent_finish_ends_when_the_log_is_never_closed(boolean writerOnThisNode)
      throws Exception {
    // why: the node died after finish and before closing the log; nothing will ever close it.
    finishedStream(false, writerOnThisNode);
    RecordingSink recorder = new RecordingSink();

    assertThat(followBounded(0, recorder)).isEqualTo(StreamReader.End.CLOSED);

    assertThat(recorder.indices()).isEqualTo(range(0, 2));
  }

  /**
   * A reader whose connection dropped between finish and the close (its node died there) resumes
   * right after finish: it is owed nothing, neither a second finish nor heartbeats forever.
   */
  @ParameterizedTest
  @CsvSource({
    "true, true",
    "true, false",
    "false, true",
    "false, false",
  })
  void a_reader_resuming_right_after_finish_ends_without_another(
      boolean writerOnThisNode, boolean logCloses) throws Exception {
    finishedStream(logCloses, writerOnThisNode);
    RecordingSink recorder = new RecordingSink();

    assertThat(followBounded(2, recorder)).isEqualTo(StreamReader.End.CLOSED);

    assertThat(recorder.frames).isEmpty();
    assertThat(recorder.finishedBefore).isTrue();
  }

  /** Stream "s": start and finish; its log closed or not, its mirror on this node or not. */
  private void finishedStream(boolean logCloses, boolean writerOnThisNode) {
    StreamWriter writer = open("s");
    writer.append("{\"type\":\"start\",\"messageId\":\"msg_1\"}", false);
    writer.append("{\"type\":\"finish\"}", true);
    if (logCloses) {
      writer.close();
    }
    if (!writerOnThisNode) {
      hub.remove("s");
    }
  }

  /** Follows "s" from {@code from} with a 50 ms heartbeat, for at most {@link #WAIT}. */
  private StreamReader.End followBounded(long from, RecordingSink recorder) throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      return pool.submit(() -> reader(Duration.ofMillis(50)).follow("s", from, recorder))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      // why: a reader that never ends must not hold the test up after it has failed.
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void heartbeats_are_sent_while_the_stream_is_idle(boolean writerOnThisNode) throws Exception {
    StreamWriter writer = open("s");
    write(writer, 1);
    if (!writerOnThisNode) {
      hub.remove("s");
    }
    RecordingSink recorder = new RecordingSink(3);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<StreamReader.End> end =
          pool.submit(() -> reader(Duration.ofMillis(20)).follow("s", 0, recorder));

      assertThat(recorder.heartbeats.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(end).isNotDone();
      writer.close();

      assertThat(end.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(StreamReader.End.CLOSED);
    }
    assertThat(recorder.indices()).containsExactly(0L);
  }
}
