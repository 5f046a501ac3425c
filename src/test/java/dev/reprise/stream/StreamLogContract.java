package dev.reprise.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StreamLog} backend must do. A backend's test extends this class and only says
 * how to create an empty log; it cleans up after itself.
 */
public abstract class StreamLogContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  protected StreamLog log;

  /** A log with no streams in it, for one test. */
  protected abstract StreamLog createStreamLog();

  /**
   * Whether {@link StreamLog#deleteClosedBefore} removes closed streams. A backend that expires
   * them by itself (Redis key expiry) answers false and tests its expiry in its own test.
   */
  protected boolean sweepsClosedStreams() {
    return true;
  }

  @BeforeEach
  void createLog() {
    log = createStreamLog();
  }

  private void appendAll(String streamId, int count) {
    for (int i = 0; i < count; i++) {
      log.append(streamId, chunk(i, "c" + i));
    }
  }

  /** A chunk that does not end its stream. */
  private static LogEntry chunk(long index, String data) {
    return new LogEntry(index, data, false);
  }

  private List<Long> indices(String streamId) {
    return log.read(streamId, 0, 10_000).stream().map(LogEntry::index).toList();
  }

  @Test
  void creating_a_stream_that_exists_changes_nothing() {
    log.create("s", T0);
    log.append("s", chunk(0, "a"));

    log.create("s", T0.plusSeconds(5));

    assertThat(log.info("s")).contains(new StreamInfo(0, false));
    assertThat(log.read("s", 0, 10)).containsExactly(chunk(0, "a"));
  }

  @Test
  void append_accepts_only_the_index_after_the_tail() {
    log.create("s", T0);

    assertThatThrownBy(() -> log.append("s", chunk(1, "x")))
        .isInstanceOf(StreamConflictException.class);
    log.append("s", chunk(0, "a"));
    assertThatThrownBy(() -> log.append("s", chunk(0, "dup")))
        .isInstanceOf(StreamConflictException.class);
    assertThatThrownBy(() -> log.append("s", chunk(2, "gap")))
        .isInstanceOf(StreamConflictException.class);
    log.append("s", chunk(1, "b"));

    assertThat(log.read("s", 0, 10)).containsExactly(chunk(0, "a"), chunk(1, "b"));
  }

  @Test
  void a_chunk_reads_back_with_the_finish_flag_it_was_appended_with_whatever_its_text() {
    log.create("s", T0);
    LogEntry looksLikeFinish = new LogEntry(0, "{\"type\":\"finish\"}", false);
    LogEntry plain = chunk(1, "{\"type\":\"text-delta\"}");
    LogEntry finish = new LogEntry(2, "{\"type\":\"finish\",\"finishReason\":\"stop\"}", true);

    log.append("s", looksLikeFinish);
    log.append("s", plain);
    log.append("s", finish);

    assertThat(log.read("s", 0, 10)).containsExactly(looksLikeFinish, plain, finish);
    assertThat(log.read("s", 2, 10)).containsExactly(finish);
  }

  @Test
  void each_stream_has_its_own_indices() {
    log.create("a", T0);
    log.create("b", T0);
    appendAll("a", 3);

    log.append("b", chunk(0, "first of b"));

    assertThat(log.info("a")).contains(new StreamInfo(2, false));
    assertThat(log.info("b")).contains(new StreamInfo(0, false));
  }

  @Test
  void append_to_an_unknown_stream_is_a_conflict() {
    assertThatThrownBy(() -> log.append("nowhere", chunk(0, "x")))
        .isInstanceOf(StreamConflictException.class);
    assertThat(log.info("nowhere")).isEmpty();
  }

  @Test
  void append_to_a_closed_stream_is_a_conflict() {
    log.create("s", T0);
    log.append("s", chunk(0, "a"));
    log.close("s", T0);

    assertThatThrownBy(() -> log.append("s", chunk(1, "late")))
        .isInstanceOf(StreamConflictException.class);
    assertThat(indices("s")).containsExactly(0L);
  }

  private static List<LogEntry> chunks(long from, int count, String tag) {
    List<LogEntry> chunks = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      chunks.add(chunk(i, tag + i));
    }
    return chunks;
  }

  @Test
  void append_all_appends_consecutive_entries_in_order_with_their_finish_flags() {
    log.create("s", T0);
    List<LogEntry> first = chunks(0, 3, "a");
    List<LogEntry> second = new ArrayList<>(chunks(3, 2, "b"));
    second.add(new LogEntry(5, "{\"type\":\"finish\"}", true));

    log.appendAll("s", first);
    log.appendAll("s", List.of());
    log.append("s", chunk(3, "b3"));
    log.appendAll("s", second.subList(1, 3));

    List<LogEntry> expected = new ArrayList<>(first);
    expected.addAll(second);
    assertThat(log.read("s", 0, 10)).containsExactlyElementsOf(expected);
    assertThat(log.info("s")).contains(new StreamInfo(5, false));
  }

  @Test
  void append_all_that_does_not_start_right_after_the_tail_appends_none() {
    log.create("s", T0);
    log.appendAll("s", chunks(0, 2, "a"));
    log.create("closed", T0);
    log.close("closed", T0);

    for (long wrongStart : new long[] {0, 1, 3}) {
      assertThatThrownBy(() -> log.appendAll("s", chunks(wrongStart, 3, "x")))
          .isInstanceOfSatisfying(
              PartialAppendException.class, e -> assertThat(e.appended()).isZero())
          .hasCauseInstanceOf(StreamConflictException.class);
    }
    assertThatThrownBy(() -> log.appendAll("closed", chunks(0, 2, "late")))
        .isInstanceOf(PartialAppendException.class)
        .hasCauseInstanceOf(StreamConflictException.class);
    assertThatThrownBy(() -> log.appendAll("nowhere", chunks(0, 2, "x")))
        .isInstanceOf(PartialAppendException.class)
        .hasCauseInstanceOf(StreamConflictException.class);

    assertThat(log.read("s", 0, 10)).containsExactlyElementsOf(chunks(0, 2, "a"));
    assertThat(indices("closed")).isEmpty();
    assertThat(log.info("nowhere")).isEmpty();
  }

  @Test
  void append_all_refuses_indexes_that_do_not_follow_one_another() {
    log.create("s", T0);

    assertThatThrownBy(() -> log.appendAll("s", List.of(chunk(0, "a"), chunk(2, "c"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(indices("s")).isEmpty();
  }

  @Test
  void of_concurrent_appends_of_several_entries_at_the_same_index_exactly_one_lands_whole()
      throws Exception {
    log.create("s", T0);
    int writers = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < writers; w++) {
        String tag = "w" + w + ":";
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    log.appendAll("s", chunks(0, 10, tag));
                    return true;
                  } catch (PartialAppendException refused) {
                    assertThat(refused.getCause()).isInstanceOf(StreamConflictException.class);
                    return false;
                  }
                }));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> each : results) {
        won += each.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    }

    List<LogEntry> entries = log.read("s", 0, 100);
    String winner = entries.getFirst().data().substring(0, entries.getFirst().data().indexOf(':'));
    assertThat(entries).containsExactlyElementsOf(chunks(0, 10, winner + ":"));
  }

  @Test
  void appends_of_several_entries_by_many_writers_each_to_its_own_stream_all_land_in_order()
      throws Exception {
    int writers = 16;
    int perWriter = 300;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String stream = "w" + w;
        int step = 1 + w % 5;
        log.create(stream, T0);
        work.add(
            pool.submit(
                () -> {
                  int next = 0;
                  while (next < perWriter) {
                    int count = Math.min(step, perWriter - next);
                    log.appendAll(stream, chunks(next, count, stream + ":"));
                    next += count;
                  }
                }));
      }
      for (Future<?> each : work) {
        each.get(60, TimeUnit.SECONDS);
      }
    }

    for (int w = 0; w < writers; w++) {
      String stream = "w" + w;
      assertThat(log.read(stream, 0, 1_000))
          .containsExactlyElementsOf(chunks(0, perWriter, stream + ":"));
    }
  }

  @Test
  void read_returns_up_to_limit_entries_from_an_index_in_index_order() {
    log.create("s", T0);
    appendAll("s", 10);

    assertThat(log.read("s", 3, 4))
        .containsExactly(chunk(3, "c3"), chunk(4, "c4"), chunk(5, "c5"), chunk(6, "c6"));
    assertThat(log.read("s", 8, 100)).extracting(LogEntry::index).containsExactly(8L, 9L);
    assertThat(log.read("s", 10, 100)).isEmpty();
    assertThat(log.read("unknown", 0, 100)).isEmpty();
  }

  @Test
  void info_of_a_new_stream_has_tail_minus_one_and_is_open() {
    log.create("s", T0);

    assertThat(log.info("s")).contains(new StreamInfo(-1, false));
  }

  @Test
  void close_marks_the_stream_closed_keeps_its_chunks_and_is_idempotent() {
    log.create("s", T0);
    appendAll("s", 2);

    log.close("s", T0.plusSeconds(1));
    log.close("s", T0.plusSeconds(2));

    assertThat(log.info("s")).contains(new StreamInfo(1, true));
    assertThat(indices("s")).containsExactly(0L, 1L);
  }

  @Test
  void delete_closed_before_deletes_only_streams_closed_before_the_cutoff() {
    Assumptions.assumeTrue(
        sweepsClosedStreams(), "this backend expires closed streams by itself (see its own tests)");
    Instant cutoff = T0.plusSeconds(60);
    log.create("closed-early", T0);
    appendAll("closed-early", 3);
    log.close("closed-early", T0.plusSeconds(10));
    log.create("closed-late", T0);
    appendAll("closed-late", 2);
    log.close("closed-late", cutoff.plusSeconds(10));
    log.create("open-and-old", T0);
    appendAll("open-and-old", 1);

    int deleted = log.deleteClosedBefore(cutoff);

    assertThat(deleted).isEqualTo(1);
    assertThat(log.info("closed-early")).isEmpty();
    assertThat(log.read("closed-early", 0, 10)).isEmpty();
    assertThat(log.info("closed-late")).contains(new StreamInfo(1, true));
    assertThat(log.info("open-and-old")).contains(new StreamInfo(0, false));
  }

  @Test
  void delete_removes_the_stream_and_its_chunks() {
    log.create("s", T0);
    appendAll("s", 3);
    log.create("other", T0);
    appendAll("other", 1);

    log.delete("s");

    assertThat(log.info("s")).isEmpty();
    assertThat(log.read("s", 0, 10)).isEmpty();
    assertThatThrownBy(() -> log.append("s", chunk(3, "x")))
        .isInstanceOf(StreamConflictException.class);
    log.create("s", T0);
    log.append("s", chunk(0, "fresh"));
    assertThat(log.read("s", 0, 10)).containsExactly(chunk(0, "fresh"));
    assertThat(indices("other")).containsExactly(0L);
  }

  @Test
  void of_concurrent_appenders_racing_for_the_same_index_exactly_one_wins() throws Exception {
    int rounds = 20;
    int writers = 8;
    log.create("s", T0);
    List<String> winners = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      for (int round = 0; round < rounds; round++) {
        long index = round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> attempts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String data = "round " + round + " writer " + w;
          attempts.add(
              pool.submit(
                  () -> {
                    go.await();
                    try {
                      log.append("s", chunk(index, data));
                      return data;
                    } catch (StreamConflictException refused) {
                      return null;
                    }
                  }));
        }
        go.countDown();
        List<String> won = new ArrayList<>();
        for (Future<String> attempt : attempts) {
          String result = attempt.get(30, TimeUnit.SECONDS);
          if (result != null) {
            won.add(result);
          }
        }
        assertThat(won).as("winners of index %d", index).hasSize(1);
        winners.add(won.getFirst());
      }
    }

    List<LogEntry> entries = log.read("s", 0, 1000);
    assertThat(entries).extracting(LogEntry::index).containsExactlyElementsOf(range(rounds));
    assertThat(entries).extracting(LogEntry::data).containsExactlyElementsOf(winners);
  }

  @Test
  void appends_of_many_writers_each_to_its_own_stream_all_land_in_order() throws Exception {
    int writers = 16;
    int perWriter = 200;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String stream = "w" + w;
        log.create(stream, T0);
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perWriter; i++) {
                    log.append(stream, chunk(i, stream + ":" + i));
                  }
                }));
      }
      for (Future<?> each : work) {
        each.get(60, TimeUnit.SECONDS);
      }
    }

    for (int w = 0; w < writers; w++) {
      String stream = "w" + w;
      List<LogEntry> entries = log.read(stream, 0, 1_000);
      assertThat(entries).extracting(LogEntry::index).containsExactlyElementsOf(range(perWriter));
      assertThat(entries.get(perWriter - 1).data()).isEqualTo(stream + ":" + (perWriter - 1));
    }
  }

  @Test
  void a_refused_append_among_concurrent_ones_fails_only_its_own_writer() throws Exception {
    log.create("open", T0);
    log.create("closed", T0);
    log.close("closed", T0);
    int rounds = 50;
    List<Future<Boolean>> refusals = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> writer =
          pool.submit(
              () -> {
                for (int i = 0; i < rounds; i++) {
                  log.append("open", chunk(i, "c" + i));
                }
              });
      for (int i = 0; i < rounds; i++) {
        int index = i;
        refusals.add(
            pool.submit(
                () -> {
                  try {
                    log.append("closed", chunk(index, "late"));
                    return false;
                  } catch (StreamConflictException refused) {
                    return true;
                  }
                }));
      }
      writer.get(60, TimeUnit.SECONDS);
      for (Future<Boolean> each : refusals) {
        assertThat(each.get(60, TimeUnit.SECONDS)).isTrue();
      }
    }

    assertThat(indices("open")).containsExactlyElementsOf(range(rounds));
    assertThat(indices("closed")).isEmpty();
  }

  private static List<Long> range(int count) {
    return LongStream.range(0, count).boxed().toList();
  }
}
