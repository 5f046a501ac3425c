package dev.reprise.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reprise.storage.AppendOutcome;
import dev.reprise.storage.Jdbc;
import dev.reprise.storage.StorageException;
import dev.reprise.storage.StreamAppend;
import dev.reprise.storage.WriteFaults;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamConflictException;
import dev.reprise.stream.StreamInfo;
import dev.reprise.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The embedded log's journal: what moves when, reads across the move, and recovery. */
class SqliteJournalTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final JournalMover.Policy WAIT_TWO_PASSES =
      new JournalMover.Policy(Duration.ofMillis(250), 1_000, 2, 100, 64, 0);

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  private SqliteStreamLog log(JournalMover.Policy policy) {
    return SqliteStreamLog.withManualMoves(sqlite.database(dir), policy);
  }

  private static void appendRange(SqliteStreamLog log, String stream, int from, int to) {
    for (int i = from; i < to; i++) {
      log.append(stream, new LogEntry(i, "{\"i\":" + i + "}", false));
    }
  }

  private static List<Long> indices(List<LogEntry> entries) {
    return entries.stream().map(LogEntry::index).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  private long count(String sql) {
    return sqlite
        .database(dir)
        .read(c -> Jdbc.queryOne(c, sql, row -> row.getLong(1)).orElseThrow());
  }

  private long journalRows() {
    return JournalFile.readAll(sqlite.database(dir).journalDir()).size();
  }

  private long movedRows() {
    return count("SELECT COUNT(*) FROM stream_chunks");
  }

  @Test
  void reads_join_moved_and_pending_chunks_without_gap_or_duplicate() {
    SqliteStreamLog log = log(WAIT_TWO_PASSES);
    log.create("s", T0);
    appendRange(log, "s", 0, 10);
    log.moveJournal(true);
    appendRange(log, "s", 10, 20);

    assertThat(movedRows()).isEqualTo(10);
    assertThat(indices(log.read("s", 0, 100))).isEqualTo(range(0, 20));
    assertThat(indices(log.read("s", 5, 3))).isEqualTo(range(5, 8));
    assertThat(indices(log.read("s", 8, 5))).isEqualTo(range(8, 13));
    assertThat(indices(log.read("s", 12, 5))).isEqualTo(range(12, 17));
    assertThat(indices(log.read("s", 20, 5))).isEmpty();
    assertThat(log.read("s", Long.MAX_VALUE, 5)).isEmpty();
    assertThat(log.read("s", 10L + Integer.MAX_VALUE, 5)).isEmpty();
    assertThat(log.read("s", 15, 1).getFirst().data()).isEqualTo("{\"i\":15}");
  }

  @Test
  void pending_chunks_move_after_the_policys_passes_and_the_moved_prefix_leaves_the_journal() {
    SqliteStreamLog log = log(WAIT_TWO_PASSES);
    log.create("a", T0);
    log.create("b", T0);
    appendRange(log, "a", 0, 3);
    appendRange(log, "b", 0, 2);

    log.moveJournal(false);
    assertThat(movedRows()).isZero();
    assertThat(journalRows()).isEqualTo(5);

    log.moveJournal(false);
    assertThat(movedRows()).isEqualTo(5);
    assertThat(journalRows()).isZero();
    assertThat(indices(log.read("a", 0, 10))).isEqualTo(range(0, 3));
  }

  @Test
  void streams_that_started_together_move_over_several_passes_not_all_at_one() {
    int streams = 200;
    SqliteStreamLog log =
        log(new JournalMover.Policy(Duration.ofMillis(250), 1_000, 2, 100, 64, 4));
    for (int i = 0; i < streams; i++) {
      log.create("s" + i, T0);
      appendRange(log, "s" + i, 0, 3);
    }

    List<Long> movedByPass = new ArrayList<>();
    long before = 0;
    for (int pass = 0; pass < 2 + 4; pass++) {
      log.moveJournal(false);
      long moved = movedRows();
      movedByPass.add(moved - before);
      before = moved;
    }

    assertThat(before).as("all moved within the wait and its spread").isEqualTo(3L * streams);
    assertThat(movedByPass.subList(0, 1)).containsOnly(0L);
    assertThat(movedByPass.stream().filter(n -> n > 0)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(movedByPass).allMatch(n -> n <= 3L * streams / 2, "at most half in one pass");
  }

  @Test
  void a_closed_stream_moves_at_the_next_pass() {
    SqliteStreamLog log = log(WAIT_TWO_PASSES);
    log.create("s", T0);
    appendRange(log, "s", 0, 4);
    log.close("s", T0);

    log.moveJournal(false);

    assertThat(movedRows()).isEqualTo(4);
    assertThat(journalRows()).isZero();
    assertThat(log.info("s")).contains(new StreamInfo(3, true));
    assertThatThrownBy(() -> log.append("s", new LogEntry(4, "x", false)))
        .isInstanceOf(StreamConflictException.class);
  }

  @Test
  void a_stream_with_many_pending_chunks_moves_without_waiting() {
    SqliteStreamLog log =
        log(new JournalMover.Policy(Duration.ofMillis(250), 5, 1_000, 100, 64, 0));
    log.create("busy", T0);
    log.create("quiet", T0);
    appendRange(log, "quiet", 0, 1);
    appendRange(log, "busy", 0, 5);

    log.moveJournal(false);

    assertThat(count("SELECT COUNT(*) FROM stream_chunks WHERE stream_id = 'busy'")).isEqualTo(5);
    assertThat(count("SELECT COUNT(*) FROM stream_chunks WHERE stream_id = 'quiet'")).isZero();
    // the quiet stream's row holds the journal's prefix back
    assertThat(journalRows()).isEqualTo(6);
  }

  @Test
  void a_new_process_moves_what_the_journal_holds_and_appends_go_on_from_the_tail() {
    SqliteStreamLog crashed = log(WAIT_TWO_PASSES);
    crashed.create("s", T0);
    appendRange(crashed, "s", 0, 10);
    crashed.moveJournal(true);
    appendRange(crashed, "s", 10, 15);
    assertThat(journalRows()).isEqualTo(5);

    SqliteStreamLog restarted = log(WAIT_TWO_PASSES);

    assertThat(journalRows()).isZero();
    assertThat(indices(restarted.read("s", 0, 100))).isEqualTo(range(0, 15));
    assertThat(restarted.info("s")).contains(new StreamInfo(14, false));
    assertThatThrownBy(() -> restarted.append("s", new LogEntry(14, "again", false)))
        .isInstanceOf(StreamConflictException.class);
    restarted.append("s", new LogEntry(15, "next", false));
    assertThat(indices(restarted.read("s", 14, 10))).isEqualTo(range(14, 16));
  }

  @Test
  void closing_the_log_when_its_last_move_fails_keeps_the_chunks_for_the_next_start() {
    Path file = dir.resolve("closing.db");
    SqliteDatabase db = SqliteDatabase.open(file, dev.reprise.config.SqliteSync.NORMAL);
    SqliteStreamLog log = SqliteStreamLog.open(db, size -> {});
    log.create("s", T0);
    appendRange(log, "s", 0, 3);
    db.close();

    log.close();

    SqliteDatabase reopened = SqliteDatabase.open(file, dev.reprise.config.SqliteSync.NORMAL);
    try {
      SqliteStreamLog restarted = SqliteStreamLog.open(reopened, size -> {});
      assertThat(indices(restarted.read("s", 0, 10))).isEqualTo(range(0, 3));
      restarted.close();
    } finally {
      reopened.close();
    }
  }

  @Test
  void recovery_leaves_out_the_chunks_of_a_stream_deleted_before_they_moved() {
    SqliteStreamLog crashed = log(WAIT_TWO_PASSES);
    crashed.create("gone", T0);
    appendRange(crashed, "gone", 0, 3);
    crashed.delete("gone");

    SqliteStreamLog restarted = log(WAIT_TWO_PASSES);

    assertThat(restarted.read("gone", 0, 10)).isEmpty();
    assertThat(restarted.info("gone")).isEmpty();
    assertThat(movedRows()).isZero();
  }

  @Test
  void a_stream_deleted_during_a_pass_does_not_come_back() {
    SqliteStreamLog log = log(WAIT_TWO_PASSES);
    log.create("s", T0);
    appendRange(log, "s", 0, 3);
    log.delete("s");

    log.moveJournal(true);

    assertThat(movedRows()).isZero();
    assertThat(log.read("s", 0, 10)).isEmpty();
  }

  @Test
  void appends_are_durable_while_a_write_transaction_is_open() throws Exception {
    SqliteStreamLog log = log(WAIT_TWO_PASSES);
    log.create("s", T0);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      Future<?> writer = openWriteTransaction(pool, c -> {}, release);

      Future<?> appends = pool.submit(() -> appendRange(log, "s", 0, 3));

      appends.get(10, TimeUnit.SECONDS);
      assertThat(JournalFile.readAll(sqlite.database(dir).journalDir())).hasSize(3);
      release.countDown();
      writer.get(10, TimeUnit.SECONDS);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void a_move_waiting_for_the_writer_while_its_stream_is_deleted_writes_no_rows() throws Exception {
    SqliteStreamLog log = log(WAIT_TWO_PASSES);
    log.create("s", T0);
    appendRange(log, "s", 0, 3);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      Future<?> deleting =
          openWriteTransaction(pool, c -> SqlStreamLog.deleteStream(c, "s"), release);
      Thread mover = Thread.ofPlatform().start(() -> log.moveJournal(true));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Arrays.stream(mover.getStackTrace())
                      .anyMatch(frame -> frame.getMethodName().equals("writeFirst")));

      release.countDown();
      deleting.get(10, TimeUnit.SECONDS);
      mover.join(10_000);

      assertThat(movedRows()).isZero();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void a_created_stream_is_held_open_and_empty_unless_a_delete_came_meanwhile() {
    SqliteDatabase db = sqlite.database(dir);
    Journal journal = new Journal(db);
    journal.recover();
    try {
      long before = journal.deletes();
      db.write(c -> SqlStreamLog.insertStream(c, "kept", T0));
      journal.created("kept", before);
      db.write(c -> SqlStreamLog.insertStream(c, "gone", T0));
      journal.delete("gone");
      journal.created("gone", before);

      assertThat(journal.find("kept")).hasValueSatisfying(s -> assertThat(s.tail()).isEqualTo(-1));
      assertThat(journal.find("gone")).isEmpty();
      assertThat(
              journal.append(
                  List.of(new StreamAppend("gone", List.of(new LogEntry(0, "x", false))))))
          .allMatch(outcome -> !outcome.equals(AppendOutcome.APPENDED));
    } finally {
      journal.close();
    }
  }

  @Test
  void a_failing_journal_is_reported_even_while_sqlites_own_writes_succeed() {
    SqliteDatabase db = sqlite.database(dir);
    db.journalFaults()
        .failed(
            new StorageException(
                "journal write failed", new java.io.IOException("Input/output error")));

    db.write(c -> SqlStreamLog.insertStream(c, "s", T0));

    assertThat(db.writeFault()).contains("storage writes are failing");
    db.journalFaults().succeeded();
    assertThat(db.writeFault()).isEmpty();
  }

  /**
   * Starts a write transaction on {@code pool} that does {@code work} and then stays open until
   * {@code release}; returns once the work is done.
   */
  private Future<?> openWriteTransaction(
      ExecutorService pool, Consumer<Connection> work, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch begun = new CountDownLatch(1);
    Future<?> writer =
        pool.submit(
            () ->
                sqlite
                    .database(dir)
                    .write(
                        c -> {
                          work.accept(c);
                          begun.countDown();
                          awaitUninterruptibly(release);
                          return null;
                        }));
    begun.await();
    return writer;
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void readers_see_every_stream_whole_and_in_order_while_chunks_move() throws Exception {
    SqliteStreamLog log = log(new JournalMover.Policy(Duration.ofMillis(250), 3, 1, 100, 16, 0));
    int streams = 4;
    int chunks = 300;
    for (int s = 0; s < streams; s++) {
      log.create("s" + s, T0);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    CountDownLatch start = new CountDownLatch(1);
    // why: platform threads; the readers and the mover spin, and spinning virtual threads would
    // hold
    // every carrier.
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        String id = "s" + s;
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  appendRange(log, id, 0, chunks);
                  return null;
                }));
      }
      Future<?> mover =
          pool.submit(
              () -> {
                start.await();
                while (writing.get()) {
                  log.moveJournal(false);
                }
                return null;
              });
      List<Future<Integer>> readers = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        String id = "s" + s;
        readers.add(pool.submit(() -> readUntilWhole(log, id, chunks, start)));
      }
      start.countDown();
      for (Future<?> each : work) {
        each.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      mover.get(60, TimeUnit.SECONDS);
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
    log.moveJournal(true);
    for (int s = 0; s < streams; s++) {
      assertThat(indices(log.read("s" + s, 0, 1_000))).isEqualTo(range(0, chunks));
    }
    assertThat(movedRows()).isEqualTo((long) streams * chunks);
  }

  /**
   * Reads the stream from 0 until it is whole; every read must be a gapless prefix holding at least
   * every chunk that was durable before it began.
   */
  private static int readUntilWhole(
      SqliteStreamLog log, String id, int chunks, CountDownLatch start) throws Exception {
    start.await();
    int reads = 0;
    while (true) {
      long durable = log.info(id).orElseThrow().tailIndex();
      List<Long> seen = indices(log.read(id, 0, chunks + 10));
      reads++;
      assertThat(seen).isEqualTo(range(0, seen.size()));
      assertThat(seen.size()).as("chunks durable before the read").isGreaterThan((int) durable);
      List<Long> tail = indices(log.read(id, seen.size() / 2, 7));
      assertThat(tail).isEqualTo(range(seen.size() / 2, seen.size() / 2 + tail.size()));
      if (seen.size() == chunks) {
        return reads;
      }
    }
  }

  @Test
  void an_append_refused_by_a_full_disk_leaves_nothing_behind_and_appends_go_on_once_there_is_room()
      throws Exception {
    try (Tmpfs disk = Tmpfs.mount("16m")) {
      Path file = disk.dir().resolve("full.db");
      SqliteDatabase db = SqliteDatabase.open(file, dev.reprise.config.SqliteSync.NORMAL);
      try {
        SqliteStreamLog log = SqliteStreamLog.withManualMoves(db, WAIT_TWO_PASSES);
        log.create("s", T0);
        appendRange(log, "s", 0, 3);
        Path filler = disk.fill("filler");
        String big = "{\"text\":\"" + "x".repeat(256 * 1024) + "\"}";

        assertThatThrownBy(() -> log.append("s", new LogEntry(3, big, false)))
            .hasStackTraceContaining("No space left");
        assertThat(db.writeFault()).contains(WriteFaults.DISK_FULL);

        Files.delete(filler);
        appendRange(log, "s", 3, 6);
        assertThat(indices(log.read("s", 0, 10))).isEqualTo(range(0, 6));
        List<LogEntry> journaled =
            JournalFile.readAll(db.journalDir()).stream().map(JournalFile.Entry::entry).toList();
        assertThat(indices(journaled)).isEqualTo(range(0, 6));
        assertThat(journaled).noneMatch(entry -> entry.data().equals(big));
      } finally {
        db.close();
      }
    }
  }
}
