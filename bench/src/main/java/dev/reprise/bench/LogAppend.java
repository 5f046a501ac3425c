package dev.reprise.bench;

import dev.reprise.storage.redis.RedisStreamLog;
import dev.reprise.storage.sql.SqlStreamLog;
import dev.reprise.storage.sqlite.SqliteDatabase;
import dev.reprise.storage.sqlite.SqliteStreamLog;
import dev.reprise.config.SqliteSync;
import dev.reprise.stream.LogEntry;
import dev.reprise.stream.StreamLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 5 in process: appends per second to reprise's stream log, {@code writers} virtual threads
 * (as runs are) each appending to its own stream, for a fixed time. Usage: {@code LogAppend sqlite|sqlite-full|sqlite-rows DIR WRITERS SECONDS}
 * ({@code sqlite-rows}: the conditional insert into {@code stream_chunks} that the embedded log used before its journal)
 * or {@code LogAppend redis URL PREFIX WRITERS SECONDS}. Prints one line: {@code appends seconds}.
 */
public final class LogAppend {
  private LogAppend() {}

  public static void main(String[] args) throws Exception {
    StreamLog log;
    AutoCloseable resource;
    int writers;
    double seconds;
    if (args[0].startsWith("sqlite")) {
      SqliteSync sync = args[0].equals("sqlite-full") ? SqliteSync.FULL : SqliteSync.NORMAL;
      SqliteDatabase db = SqliteDatabase.open(Path.of(args[1]).resolve("append.db"), sync);
      if (args[0].equals("sqlite-rows")) {
        // why: the conditional insert into stream_chunks that the PostgreSQL log uses, and the
        // embedded one did before its journal: the comparison for the journal.
        log = new SqlStreamLog(db);
        resource = db;
      } else {
        SqliteStreamLog journaled = SqliteStreamLog.open(db, size -> {});
        log = journaled;
        resource =
            () -> {
              journaled.close();
              db.close();
            };
      }
      writers = Integer.parseInt(args[2]);
      seconds = Double.parseDouble(args[3]);
    } else {
      RedisStreamLog redis = RedisStreamLog.connect(args[1], args[2], Duration.ofMinutes(10));
      log = redis;
      resource = redis;
      writers = Integer.parseInt(args[3]);
      seconds = Double.parseDouble(args[4]);
    }
    String data = "{\"type\":\"text-delta\",\"id\":\"text-1\",\"delta\":\"w123|1795694400123456 \"}";
    // why: the same writers for two seconds first, so that the JIT has compiled the batch path and
    // the measured seconds are the steady state (on two cores, C2 otherwise takes a core from them).
    appendFor(log, writers, 2.0, data);
    long[] measured = appendFor(log, writers, seconds, data);
    System.out.println(measured[0] + " " + measured[1] / 1e9);
    resource.close();
  }

  /** Appends from {@code writers} virtual threads for {@code seconds}; returns {appends, nanos}. */
  private static long[] appendFor(StreamLog log, int writers, double seconds, String data)
      throws InterruptedException {
    AtomicLong count = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<String> streams = new ArrayList<>();
    long[] end = {0};
    for (int w = 0; w < writers; w++) {
      String stream = "append-" + w + "-" + System.nanoTime();
      streams.add(stream);
      log.create(stream, Instant.now());
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      go.await();
                      long n = 0;
                      while (System.nanoTime() < end[0]) {
                        log.append(stream, new LogEntry(n++, data, false));
                      }
                      count.addAndGet(n);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    long t0 = System.nanoTime();
    end[0] = t0 + (long) (seconds * 1e9);
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - t0;
    for (String s : streams) {
      log.delete(s);
    }
    return new long[] {count.get(), elapsed};
  }
}
