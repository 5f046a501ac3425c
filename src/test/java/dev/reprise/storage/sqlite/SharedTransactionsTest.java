package dev.reprise.storage.sqlite;

import static dev.reprise.storage.Jdbc.query;
import static dev.reprise.storage.Jdbc.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reprise.storage.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Ordinary writes that queue share a transaction, each in its own savepoint: the refused ones are
 * rolled back alone, their callers alone get the exception, and the rest commit.
 */
class SharedTransactionsTest {
  private static final int WRITERS = 40;

  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();
  private SqliteDatabase db;

  @BeforeEach
  void open() {
    db = sqlite.database(dir);
    db.write(c -> update(c, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"));
  }

  private List<Integer> ids() {
    return db.read(c -> query(c, "SELECT id FROM notes ORDER BY id", r -> r.getInt("id")));
  }

  @Test
  void writes_queued_behind_a_busy_writer_commit_together_and_fail_alone() throws Exception {
    CountDownLatch writerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      // why: holds the writer so that every write below queues and they share transactions.
      Future<?> holder =
          pool.submit(
              () ->
                  db.writeFirst(
                      c -> {
                        writerHeld.countDown();
                        awaitLatch(release);
                        return null;
                      }));
      assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();
      long transactionsBefore = db.sharedTransactions();
      List<Future<Integer>> writes = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        int id = i;
        writes.add(pool.submit(() -> db.write(c -> note(c, id))));
      }
      // why: the first write leads and waits for the writer; the others must be queued behind it.
      await().atMost(Duration.ofSeconds(10)).until(() -> db.queuedWrites() == WRITERS - 1);
      release.countDown();
      holder.get(10, TimeUnit.SECONDS);

      List<Integer> committed = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        if (refused(i)) {
          assertThatThrownBy(writes.get(i)::get)
              .isInstanceOf(ExecutionException.class)
              .cause()
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("refused " + i);
        } else {
          assertThat(writes.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
          committed.add(i);
        }
      }
      assertThat(ids()).isEqualTo(committed);
      // why: the first to queue runs alone once the writer is free; the other 39 share (32 at
      // most).
      assertThat(db.sharedTransactions() - transactionsBefore).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void a_constraint_violation_among_shared_writes_fails_only_its_own() throws Exception {
    db.write(c -> update(c, "INSERT INTO notes (id, body) VALUES (7, 'taken')"));
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?> holder = holdWriter(pool, release);
      List<Future<Integer>> writes = new ArrayList<>();
      for (int id : new int[] {6, 7, 8}) {
        writes.add(
            pool.submit(
                () ->
                    db.write(c -> update(c, "INSERT INTO notes (id, body) VALUES (?, 'x')", id))));
      }
      release.countDown();
      holder.get(10, TimeUnit.SECONDS);

      assertThat(writes.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThatThrownBy(writes.get(1)::get).cause().isInstanceOf(StorageException.class);
      assertThat(writes.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(ids()).containsExactly(6, 7, 8);
    }
  }

  @Test
  void a_lone_write_that_throws_leaves_nothing() {
    assertThatThrownBy(() -> db.write(c -> note(c, 3))).hasMessage("refused 3");

    assertThat(ids()).isEmpty();
  }

  /** Holds the writer from another thread until {@code release}; returns once it holds it. */
  private Future<?> holdWriter(ExecutorService pool, CountDownLatch release) throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    Future<?> holder =
        pool.submit(
            () ->
                db.writeFirst(
                    c -> {
                      held.countDown();
                      awaitLatch(release);
                      return null;
                    }));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    return holder;
  }

  /** Inserts the note, then throws for every third id: its insert must not stay. */
  private static int note(java.sql.Connection c, int id) {
    update(c, "INSERT INTO notes (id, body) VALUES (?, ?)", id, "note " + id);
    if (refused(id)) {
      throw new IllegalStateException("refused " + id);
    }
    return id;
  }

  private static boolean refused(int id) {
    return id % 3 == 0;
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
