package dev.reprise.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scenarios 3 (idle watchers), 4 (replay) and 5 (appends over HTTP and through runs). */
final class Scenarios {
  private Scenarios() {}

  // ---------------------------------------------------------------- 3: idle watchers

  record Idle(
      String system,
      int asked,
      int held,
      double attachSeconds,
      double heapBeforeMb,
      double heapAfterMb,
      double heapPerWatcherKib,
      double rssBeforeMb,
      double rssAfterMb,
      double rssPerWatcherKib,
      int failures,
      String load) {}

  /** What live runs hold: heap and RSS per run with {@code runs} answers streaming at once. */
  record RunMemory(
      String system,
      int runs,
      int streaming,
      long chunksHeld,
      double heapBeforeMb,
      double heapAfterMb,
      double heapPerRunKib,
      double rssPerRunKib) {}

  /**
   * Starts {@code runs} slow answers (one chunk every {@code interval} ms, each read by its poster),
   * waits until each has sent {@code chunksHeld} chunks, and measures the heap after a full GC
   * against the idle server's: what a live run costs (thread, mirror, buffers, its connection).
   */
  static RunMemory runMemory(Target.Reprise target, int runs, int chunksHeld, int interval, long pid)
      throws Exception {
    CountDownLatch reached = new CountDownLatch(runs);
    SseEngine.Listener poster =
        new SseEngine.Listener() {
          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {
            if (index == chunksHeld - 1) {
              reached.countDown();
            }
          }

          @Override
          public long onEnd(SseEngine.Conn c, boolean ok, String why) {
            return -1;
          }
        };
    try (SseEngine engine = new SseEngine(new InetSocketAddress(Target.HOST, target.port), 256)) {
      double heapBefore = Jvm.heapUsedMbAfterGc(pid);
      double rssBefore = ProcSampler.rssMb(List.of(pid));
      List<Target.Run> started = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        // why: twice as many chunks as are held, so that every run is still live when measured
        started.add(target.start(engine, poster, chunksHeld * 2, interval, 0));
      }
      boolean all = reached.await((long) chunksHeld * interval + 120_000, TimeUnit.MILLISECONDS);
      double heapAfter = Jvm.heapUsedMbAfterGc(pid);
      double rssAfter = ProcSampler.rssMb(List.of(pid));
      int streaming = runs - (int) reached.getCount();
      for (Target.Run run : started) {
        target.stop(run);
      }
      int n = Math.max(1, all ? runs : streaming);
      return new RunMemory(
          target.name,
          runs,
          streaming,
          chunksHeld,
          heapBefore,
          heapAfter,
          (heapAfter - heapBefore) * 1024 / n,
          (rssAfter - rssBefore) * 1024 / n);
    }
  }

  static Idle idle(Target.Reprise target, int watchers, long pid) throws Exception {
    String load = ProcSampler.loadAverage();
    CountDownLatch headers = new CountDownLatch(watchers);
    CountDownLatch ended = new CountDownLatch(watchers);
    long[] held = {0, 0, 0}; // with first bytes, failures, last first-byte nanos
    SseEngine.Listener poster =
        new SseEngine.Listener() {
          @Override
          public void onHeaders(SseEngine.Conn c) {
            ((Target.Run) c.tag).ready = true;
          }

          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {}

          @Override
          public long onEnd(SseEngine.Conn c, boolean ok, String why) {
            return -1;
          }
        };
    SseEngine.Listener watcher =
        new SseEngine.Listener() {
          @Override
          public void onFirstByte(SseEngine.Conn c) {
            held[0]++;
            held[2] = c.firstByteNanos;
            headers.countDown();
          }

          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {}

          @Override
          public long onEnd(SseEngine.Conn c, boolean ok, String why) {
            if (c.firstByteNanos == 0) {
              held[1]++;
              headers.countDown();
            }
            ended.countDown();
            return -1;
          }
        };
    try (SseEngine engine = new SseEngine(new InetSocketAddress(Target.HOST, target.port), 512)) {
      Target.Run run = target.start(engine, poster, 1, 600_000, 0);
      while (!run.ready) {
        Thread.sleep(5);
      }
      Thread.sleep(500);
      double heapBefore = Jvm.heapUsedMbAfterGc(pid);
      double rssBefore = ProcSampler.rssMb(List.of(pid));
      histogram(pid, target.name, "before");
      long t0 = System.nanoTime();
      for (int i = 0; i < watchers; i++) {
        engine.submit(new SseEngine.Conn(target.watch(run), watcher, run));
      }
      headers.await(180, TimeUnit.SECONDS);
      double attach = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(2_000);
      int heldNow = engine.openConnections() - 1;
      double heapAfter = Jvm.heapUsedMbAfterGc(pid);
      double rssAfter = ProcSampler.rssMb(List.of(pid));
      histogram(pid, target.name, "after-" + watchers);
      target.stop(run);
      ended.await(60, TimeUnit.SECONDS);
      int n = Math.max(1, heldNow);
      return new Idle(
          target.name,
          watchers,
          heldNow,
          attach,
          heapBefore,
          heapAfter,
          (heapAfter - heapBefore) * 1024 / n,
          rssBefore,
          rssAfter,
          (rssAfter - rssBefore) * 1024 / n,
          (int) (watchers - held[0]),
          load);
    }
  }

  /** Keeps the server's class histogram in the work dir: the evidence for the heap per watcher. */
  private static void histogram(long pid, String system, String when) {
    try {
      String name = system.replaceAll("[^A-Za-z]+", "-") + when + ".histo.txt";
      java.nio.file.Files.writeString(
          java.nio.file.Path.of(System.getProperty("bench.work", ".")).resolve(name),
          Jvm.jcmd(pid, "GC.class_histogram"));
    } catch (IOException | InterruptedException e) {
      System.err.println("class histogram: " + e);
    }
  }

  // ---------------------------------------------------------------- 4: replay

  record Replay(
      String system,
      String what,
      int chunks,
      int repeats,
      double ttfbMedianMs,
      double ttfbMinMs,
      double totalMedianMs,
      double mbPerSecond,
      double mbBody,
      int failures,
      String load) {}

  static Replay replay(Target target, int chunks, int repeats, String what) throws Exception {
    String load = ProcSampler.loadAverage();
    int hold = target instanceof Target.ResumableStream ? 120_000 : 0;
    SseEngine.Listener poster =
        new SseEngine.Listener() {
          @Override
          public void onHeaders(SseEngine.Conn c) {
            ((Target.Run) c.tag).ready = true;
          }

          @Override
          public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {
            ((Target.Run) c.tag).lastIndexSeenByPoster = index;
          }

          @Override
          public long onEnd(SseEngine.Conn c, boolean ok, String why) {
            ((Target.Run) c.tag).producerDone = true;
            return -1;
          }
        };
    try (SseEngine engine = new SseEngine(new InetSocketAddress(Target.HOST, target.port), 64)) {
      Target.Run run = target.start(engine, poster, chunks, 0, hold);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      if (hold > 0) {
        while (run.lastIndexSeenByPoster < chunks - 1 && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
      } else {
        while (!run.producerDone && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
      }
      Thread.sleep(300);
      double[] ttfb = new double[repeats];
      double[] total = new double[repeats];
      long bytes = 0;
      int failures = 0;
      for (int i = 0; i < repeats; i++) {
        CountDownLatch done = new CountDownLatch(1);
        long[] lastStampNanos = {0};
        SseEngine.Listener reader =
            new SseEngine.Listener() {
              @Override
              public void onStamp(SseEngine.Conn c, long index, long emit, long recv) {
                if (index == chunks - 1) {
                  lastStampNanos[0] = System.nanoTime();
                  if (hold > 0) {
                    c.finishNow = true;
                  }
                }
              }

              @Override
              public long onEnd(SseEngine.Conn c, boolean ok, String why) {
                done.countDown();
                return -1;
              }
            };
        SseEngine.Conn c = new SseEngine.Conn(target.replay(run), reader, run);
        engine.submit(c);
        done.await(60, TimeUnit.SECONDS);
        synchronized (c) {
          if (c.stamps != chunks || c.outOfOrder != 0) {
            failures++;
          }
          ttfb[i] = (c.firstByteNanos - c.sentNanos) / 1e6;
          long end = hold > 0 ? lastStampNanos[0] : c.lastByteNanos;
          total[i] = (end - c.sentNanos) / 1e6;
          bytes = c.bodyBytes;
        }
      }
      Arrays.sort(ttfb);
      Arrays.sort(total);
      double medianTotal = total[repeats / 2];
      return new Replay(
          target.name,
          what,
          chunks,
          repeats,
          ttfb[repeats / 2],
          ttfb[0],
          medianTotal,
          bytes / 1e6 / (medianTotal / 1e3),
          bytes / 1e6,
          failures,
          load);
    }
  }

  // ---------------------------------------------------------------- 5: appends

  record Appends(
      String system, String how, int writers, double seconds, long appends, double perSecond,
      double serverCpu, long failures, String failure, String load) {}

  /**
   * Durable Streams: {@code writers} keep-alive connections, each appending to its own stream (one
   * POST per chunk, the same 68-byte JSON chunk every time), for {@code seconds} after all of them
   * have created their stream.
   */
  static Appends dsAppends(Target.DurableStreams target, int writers, double seconds)
      throws Exception {
    String load = ProcSampler.loadAverage();
    AtomicLong count = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicLong putsRefused = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(writers);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[1];
    String payload = Target.DurableStreams.chunkJson(123, 1795694400123456L);
    for (int w = 0; w < writers; w++) {
      String stream = target.stream("append-" + w + "-" + System.nanoTime());
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (Http1 http = new Http1(Target.HOST, target.port)) {
                      // why: creating the streams is set-up, not what is measured: a refused
                      // PUT is retried (and reported), and a writer without a stream does not
                      // append.
                      boolean created = false;
                      for (int attempt = 0; attempt < 5 && !created; attempt++) {
                        Http1.Response r =
                            http.send("PUT", stream, "", "Content-Type", "application/json");
                        created = r.status() / 100 == 2;
                        if (!created) {
                          putsRefused.incrementAndGet();
                          failure.compareAndSet(null, "PUT " + r.status() + " " + r.body());
                          Thread.sleep(200);
                        }
                      }
                      ready.countDown();
                      go.await();
                      if (!created) {
                        failures.incrementAndGet();
                        return;
                      }
                      long end = window[0] + (long) (seconds * 1e9);
                      while (System.nanoTime() < end) {
                        Http1.Response r =
                            http.send("POST", stream, payload, "Content-Type", "application/json");
                        if (r.status() / 100 == 2) {
                          count.incrementAndGet();
                        } else {
                          failures.incrementAndGet();
                          failure.compareAndSet(null, "POST " + r.status() + " " + r.body());
                        }
                      }
                    } catch (IOException | InterruptedException e) {
                      failures.incrementAndGet();
                      failure.compareAndSet(null, e.toString());
                      ready.countDown();
                    }
                  }));
    }
    // why: the window starts when every writer has its stream, so that creating 64 streams is not
    // counted as time spent appending.
    ready.await(60, TimeUnit.SECONDS);
    window[0] = System.nanoTime();
    ProcSampler cpu = ProcSampler.start(target.pids);
    go.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60) + (long) (seconds * 1000));
    }
    cpu.close();
    double elapsed = (System.nanoTime() - window[0]) / 1e9;
    String why = failure.get();
    if (putsRefused.get() > 0) {
      why = putsRefused.get() + " stream creations (PUT) refused and retried before the window; first: "
          + why;
    }
    return new Appends(target.name, "HTTP POST per chunk, " + payload.length() + " B JSON", writers,
        elapsed, count.get(), count.get() / elapsed, cpu.cpuPercent(), failures.get(), why, load);
  }

  // ---------------------------------------------------------------- Durable Streams catch-up

  record CatchUp(
      String system,
      int chunks,
      int repeats,
      double fillSeconds,
      int getsPerRead,
      double ttfbMedianMs,
      double ttfbMinMs,
      double totalMedianMs,
      double mbBody,
      double mbPerSecond,
      int failures,
      String failure,
      String load) {}

  private static final Pattern DELTA = Pattern.compile("\"delta\":\"w(\\d+)\\|");

  /**
   * A stream of {@code chunks} appends (one POST each, in order, on one connection; then closed),
   * read {@code repeats} times with plain catch-up GETs from offset -1, each following
   * Stream-Next-Offset until Stream-Up-To-Date, on a fresh connection (connected before the clock
   * starts). Time to first byte: first request written to first body byte; MB/s: body bytes over
   * first request written to the last body byte of the last response.
   */
  static CatchUp dsCatchUp(Target.DurableStreams target, int chunks, int repeats)
      throws Exception {
    String load = ProcSampler.loadAverage();
    String stream = target.stream("catchup-" + System.nanoTime());
    long fill0 = System.nanoTime();
    long fillDeadline = fill0 + TimeUnit.SECONDS.toNanos(180);
    try (Http1 http = new Http1(Target.HOST, target.port)) {
      Http1.Response created = http.send("PUT", stream, "", "Content-Type", "application/json");
      if (created.status() / 100 != 2) {
        throw new IOException("PUT " + stream + ": " + created.status());
      }
      for (int i = 0; i < chunks; i++) {
        Http1.Response r =
            http.send("POST", stream, Target.DurableStreams.chunkJson(i, SseEngine.wallMicros()),
                "Content-Type", "application/json");
        if (r.status() / 100 != 2) {
          throw new IOException("append " + i + ": " + r.status());
        }
        if (System.nanoTime() > fillDeadline) {
          throw new IOException("filling the stream: only " + i + " appends in 180 s");
        }
      }
      http.send("POST", stream, "", "Stream-Closed", "true", "Content-Type", "application/json");
    }
    double fillSeconds = (System.nanoTime() - fill0) / 1e9;
    Thread.sleep(300);
    double[] ttfb = new double[repeats];
    double[] total = new double[repeats];
    long bytes = 0;
    int gets = 0;
    int failures = 0;
    String failure = null;
    for (int k = 0; k < repeats; k++) {
      try (CatchUpReader reader = new CatchUpReader(Target.HOST, target.port)) {
        CatchUpReader.Read read = reader.read(stream, 1_000);
        ttfb[k] = (read.firstByteNanos() - read.sentNanos()) / 1e6;
        total[k] = (read.lastByteNanos() - read.sentNanos()) / 1e6;
        bytes = read.body().length;
        gets = read.gets();
        String why = check(read, chunks);
        if (why != null) {
          failures++;
          failure = failure == null ? why : failure;
        }
      } catch (IOException e) {
        failures++;
        failure = failure == null ? e.toString() : failure;
        ttfb[k] = Double.NaN;
        total[k] = Double.NaN;
      }
    }
    Arrays.sort(ttfb);
    Arrays.sort(total);
    double medianTotal = total[repeats / 2];
    return new CatchUp(target.name, chunks, repeats, fillSeconds, gets, ttfb[repeats / 2], ttfb[0],
        medianTotal, bytes / 1e6, bytes / 1e6 / (medianTotal / 1e3), failures, failure, load);
  }

  /** Null when the body holds chunks 0..n-1 in order (checked after the clock stopped). */
  private static String check(CatchUpReader.Read read, int chunks) {
    if (read.status() != 200) {
      return "status " + read.status();
    }
    if (!read.upToDate()) {
      return "not up to date after " + read.gets() + " GETs";
    }
    Matcher m = DELTA.matcher(new String(read.body(), java.nio.charset.StandardCharsets.UTF_8));
    int expected = 0;
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) != expected) {
        return "chunk " + m.group(1) + " where " + expected + " was expected";
      }
      expected++;
    }
    return expected == chunks ? null : expected + " of " + chunks + " chunks";
  }

  private static final Pattern STATUS = Pattern.compile("\"status\":\"([a-z]+)\"");
  private static final Pattern RUN_ID = Pattern.compile("\"runId\":\"([^\"]+)\"");

  /**
   * reprise end to end: {@code runs} headless runs of the bench model with interval 0, each
   * {@code chunks} deltas; every chunk is serialized, appended to the log and published. Rate =
   * all chunks (deltas + 6 framing chunks per run) / time until the last run completed.
   */
  static Appends repriseRunAppends(Target.Reprise target, int runs, int chunks, boolean coalesced)
      throws Exception {
    String load = ProcSampler.loadAverage();
    List<String> ids = new ArrayList<>();
    ProcSampler cpu = ProcSampler.start(target.pids);
    long t0 = System.nanoTime();
    try (Http1 http = new Http1(Target.HOST, target.port)) {
      for (int r = 0; r < runs; r++) {
        Http1.Response res =
            http.send("POST", "/api/chat/runs",
                "{\"prompt\":\"chunks=" + chunks + " interval=0\",\"model\":\"bench\"}",
                "x-api-key", target.apiKey, "Content-Type", "application/json");
        Matcher m = RUN_ID.matcher(res.body());
        if (res.status() != 202 || !m.find()) {
          throw new IOException("start run: " + res.status() + " " + res.body());
        }
        ids.add(m.group(1));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      for (String id : ids) {
        while (System.nanoTime() < deadline) {
          Http1.Response res = http.send("GET", "/api/chat/runs/" + id, null, "x-api-key", target.apiKey);
          Matcher m = STATUS.matcher(res.body());
          if (m.find() && !m.group(1).equals("queued") && !m.group(1).equals("running")) {
            break;
          }
          Thread.sleep(20);
        }
      }
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    cpu.close();
    long total = (long) runs * (chunks + 6);
    long entries = logEntries(target, ids, chunks + 6);
    return new Appends(target.name,
        String.format("through runs: bench model, interval 0%s (in %,d log entries)",
            coalesced ? "" : ", coalescing off", entries), runs,
        elapsed, total, total / elapsed, cpu.cpuPercent(), 0, null, load);
  }

  /**
   * How many entries the runs' streams hold: consecutive deltas that met while an append was in
   * flight went to the log as one. Read from the tail index a reader past the end is told.
   */
  private static long logEntries(Target.Reprise target, List<String> runIds, int most)
      throws IOException {
    long entries = 0;
    try (Http1 http = new Http1(Target.HOST, target.port)) {
      for (String id : runIds) {
        Http1.Response res = http.send("GET", "/api/chat/" + id + "/stream?startIndex=" + most,
            null, "x-api-key", target.apiKey);
        String tail = res.headers().get("x-workflow-stream-tail-index");
        if (res.status() != 200 || tail == null) {
          throw new IOException("tail of " + id + ": " + res.status() + " " + res.headers());
        }
        entries += Long.parseLong(tail) + 1;
      }
    }
    return entries;
  }
}
