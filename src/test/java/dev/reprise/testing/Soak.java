package dev.reprise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A soak: chat-shaped load on one reprise node (embedded SQLite) for a bounded time, sampling the
 * server's heap after GC, threads, RSS, file descriptors and TCP connections, and checking every
 * stream the clients read (contiguous indexes from where they asked, ends with {@code finish},
 * byte-equal wherever two reads overlap). Not a test: {@code scripts/soak} runs it. Writes {@code
 * samples.csv}, class histograms and {@code soak-report.md} to its output directory and exits
 * non-zero on any client error or a metric that is not flat.
 *
 * <p>Each chat worker loops: post a turn (a prompt of {@code --words} words; the offline model
 * echoes it word by word), then read the answer one of three ways (to the end; drop after a random
 * chunk and reconnect with {@code startIndex} or {@code Last-Event-ID}; drop and come back only
 * after the run has ended, replaying from 0), with a second reader on about 10% of turns; think;
 * repeat. A chat gets a new id every five turns.
 */
public final class Soak {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final String[] WORDS =
      ("the quick brown fox jumps over a lazy dog while seven wizards quietly judge "
              + "boxing matches in amber light near old harbour walls and gulls circle overhead")
          .split(" ");

  record Options(
      Path jar,
      Path out,
      double minutes,
      int chats,
      int words,
      int delayMs,
      int sampleSeconds,
      long seed,
      String jvmFlags) {
    static Options parse(String[] args) {
      Map<String, String> a = new HashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
      }
      return new Options(
          Path.of(a.getOrDefault("jar", "target/reprise.jar")),
          Path.of(a.getOrDefault("out", "target/soak")),
          Double.parseDouble(a.getOrDefault("minutes", "3")),
          Integer.parseInt(a.getOrDefault("chats", "50")),
          Integer.parseInt(a.getOrDefault("words", "250")),
          Integer.parseInt(a.getOrDefault("delay-ms", "30")),
          Integer.parseInt(a.getOrDefault("sample-seconds", "30")),
          Long.parseLong(a.getOrDefault("seed", Long.toString(System.nanoTime()))),
          a.getOrDefault("jvm", "-Xms256m -Xmx512m -XX:+UseG1GC"));
    }
  }

  /** One sample: the probe's reading and the load client's counters so far. */
  record Sample(
      double minute,
      ProcessProbe.Reading r,
      long turns,
      long chunks,
      long errors,
      long conflicts,
      int liveStreams) {}

  private final Options opt;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final AtomicLong turns = new AtomicLong();
  private final AtomicLong chunks = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private final AtomicLong secondReaders = new AtomicLong();
  private final AtomicLong liveStreams = new AtomicLong();
  private final ConcurrentLinkedQueue<String> errorLog = new ConcurrentLinkedQueue<>();
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  // why: a stream that never ends would hang its chat for the rest of the soak, unseen; one that
  // is still open this long after it began is cut and counted as an error.
  private static final Duration STREAM_BOUND = Duration.ofMinutes(3);
  private final java.util.concurrent.ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
  private String base;
  private List<String> keys;
  private volatile long deadline;

  private Soak(Options opt) {
    this.opt = opt;
  }

  public static void main(String[] args) throws Exception {
    Options opt = Options.parse(args);
    int code = new Soak(opt).run();
    System.exit(code);
  }

  private int run() throws Exception {
    Files.createDirectories(opt.out());
    Path data = opt.out().resolve("data");
    deleteTree(data);
    Files.createDirectories(data);
    log(
        "soak: %s min, %d chats, %d words/turn, offline delay %d ms, seed %d, out %s",
        opt.minutes(), opt.chats(), opt.words(), opt.delayMs(), opt.seed(), opt.out());
    Map<String, String> env = serverEnv(data);
    keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      keys.add(createKey(env, "soak" + i));
    }
    int port = freePort();
    base = "http://127.0.0.1:" + port;
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(opt.jvmFlags().trim().split("\\s+")));
    cmd.addAll(List.of("-jar", opt.jar().toString(), "serve", "--port", Integer.toString(port)));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(opt.out().resolve("server.log").toFile());
    Process server = pb.start();
    Instant started = Instant.now();
    try {
      awaitHealthy(server);
      ProcessProbe probe = new ProcessProbe(server.pid());
      log("soak: server pid %d on %s", server.pid(), base);
      samples.add(sample(probe, started));
      long durationMs = (long) (opt.minutes() * 60_000);
      deadline = System.currentTimeMillis() + durationMs;
      List<Future<?>> workers = new ArrayList<>();
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      for (int i = 0; i < opt.chats(); i++) {
        long seed = opt.seed() * 1_000_003L + i;
        String key = keys.get(i % keys.size());
        workers.add(pool.submit(() -> chatLoop(new Random(seed), key)));
      }
      boolean histogramTaken = false;
      long nextSample = System.currentTimeMillis() + opt.sampleSeconds() * 1000L;
      while (System.currentTimeMillis() < deadline) {
        long now = System.currentTimeMillis();
        if (now >= nextSample) {
          samples.add(sample(probe, started));
          nextSample += opt.sampleSeconds() * 1000L;
          if (!histogramTaken && now - started.toEpochMilli() > Math.min(durationMs / 4, 300_000)) {
            Files.writeString(opt.out().resolve("histogram-early.txt"), probe.classHistogram(40));
            histogramTaken = true;
          }
        }
        if (!server.isAlive()) {
          error("server exited");
          break;
        }
        // why: the sampler's own pace; the load runs on other threads.
        TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(1000, nextSample - now)));
      }
      log("soak: load stopping, waiting for in-flight turns");
      pool.shutdown();
      if (!pool.awaitTermination(120, TimeUnit.SECONDS)) {
        error("chat workers still running 120 s after the end");
        pool.shutdownNow();
      }
      for (Future<?> w : workers) {
        if (w.isDone() && !w.isCancelled()) {
          try {
            w.get();
          } catch (java.util.concurrent.ExecutionException e) {
            error("worker died: " + e.getCause());
          }
        }
      }
      samples.add(sample(probe, started));
      Files.writeString(opt.out().resolve("histogram-end.txt"), probe.classHistogram(40));
      // why: close the client's pooled keep-alive connections, then idle for a moment, so that
      // what the server still holds is what the load left behind.
      // why: shutdownNow, not close: close waits for every exchange, and a stream that never ends
      // (the failure this looks for) would hold it forever.
      http.shutdownNow();
      watchdog.shutdownNow();
      TimeUnit.SECONDS.sleep(15);
      Sample idle = sample(probe, started);
      Instant ended = Instant.now();
      String report = report(started, ended, idle);
      Files.writeString(opt.out().resolve("soak-report.md"), report);
      System.out.println(report);
      return errors.get() == 0 && verdictFlat(idle) ? 0 : 1;
    } finally {
      server.destroy();
      if (!server.waitFor(40, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private Map<String, String> serverEnv(Path data) {
    Map<String, String> env = new HashMap<>();
    env.put("REPRISE_DATA_DIR", data.toString());
    env.put("REPRISE_HOST", "127.0.0.1");
    env.put("REPRISE_OFFLINE_DELAY_MS", Integer.toString(opt.delayMs()));
    env.put("REPRISE_LIMIT_LIVE_RUNS", "10000");
    env.put("REPRISE_LIMIT_RUNS_PER_MINUTE", "100000");
    env.put("REPRISE_LIMIT_STREAM_READERS", "10000");
    env.put("REPRISE_MAX_CONCURRENT_RUNS", Integer.toString(Math.max(64, opt.chats() * 2)));
    // why: the steady state of a server that has run for longer than its retention: chunk logs
    // expire while new ones are written, so the database does not only grow.
    env.put("REPRISE_STREAM_RETENTION", "10m");
    env.put("REPRISE_LOG_LEVEL", "WARN");
    return env;
  }

  private String createKey(Map<String, String> env, String account) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            opt.jar().toString(),
            "keys",
            "create",
            "--account",
            account);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keys create failed: " + out);
    }
    return out.strip().lines().toList().getLast();
  }

  private void awaitHealthy(Process server) throws Exception {
    long until = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < until) {
      if (!server.isAlive()) {
        throw new IllegalStateException(
            "server exited: " + Files.readString(opt.out().resolve("server.log")));
      }
      try {
        HttpResponse<String> res =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // why: not listening yet.
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("server not healthy within 60 s");
  }

  private Sample sample(ProcessProbe probe, Instant started) {
    ProcessProbe.Reading r = probe.read();
    Sample s =
        new Sample(
            Duration.between(started, Instant.now()).toMillis() / 60_000.0,
            r,
            turns.get(),
            chunks.get(),
            errors.get(),
            conflicts.get(),
            (int) liveStreams.get());
    String line =
        String.format(
            Locale.ROOT,
            "%.2f,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n",
            s.minute(),
            r.heapUsedAfterGcKib(),
            r.threads(),
            r.rssKib(),
            r.fds(),
            r.tcpEstablished(),
            r.tcpOther(),
            s.turns(),
            s.chunks(),
            s.errors(),
            s.conflicts(),
            s.liveStreams());
    try {
      Path csv = opt.out().resolve("samples.csv");
      if (!Files.exists(csv)) {
        Files.writeString(
            csv,
            "minute,heap_after_gc_kib,threads,rss_kib,fds,tcp_established,tcp_other,turns,chunks,"
                + "errors,conflicts,client_streams\n");
      }
      Files.writeString(csv, line, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log(
        "t=%5.1f min heap %6.1f MiB threads %3d rss %6.1f MiB fds %4d tcp %4d/%d turns %d chunks %d"
            + " errors %d 409s %d streams %d",
        s.minute(),
        r.heapUsedAfterGcKib() / 1024.0,
        r.threads(),
        r.rssKib() / 1024.0,
        r.fds(),
        r.tcpEstablished(),
        r.tcpOther(),
        s.turns(),
        s.chunks(),
        s.errors(),
        s.conflicts(),
        s.liveStreams());
    return s;
  }

  // ---- the load ----

  private void chatLoop(Random rng, String key) {
    String chatId = UUID.randomUUID().toString();
    int turnInChat = 0;
    // why: spread the chats' first turns over a few seconds, as users arrive.
    pause(rng.nextInt(5000));
    while (System.currentTimeMillis() < deadline) {
      if (turnInChat == 5) {
        chatId = UUID.randomUUID().toString();
        turnInChat = 0;
      }
      try {
        turn(rng, key, chatId);
      } catch (RuntimeException e) {
        error("chat " + chatId + ": " + e);
      }
      turnInChat++;
      pause(500 + rng.nextInt(2500));
    }
  }

  private void turn(Random rng, String key, String chatId) {
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < opt.words(); i++) {
      prompt.append(i == 0 ? "" : " ").append(WORDS[rng.nextInt(WORDS.length)]);
    }
    HttpResponse<InputStream> post = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      post = open("POST", "/api/chat", Bodies.chatTurn(chatId, prompt.toString()), key);
      if (post.statusCode() != 409) {
        break;
      }
      // why: the previous turn's run is still being finalized after its finish chunk.
      conflicts.incrementAndGet();
      closeQuietly(post.body());
      pause(100);
    }
    if (post.statusCode() != 200) {
      error("POST " + chatId + " answered " + post.statusCode() + ": " + drain(post.body()));
      return;
    }
    String runId = post.headers().firstValue("x-workflow-run-id").orElseThrow();
    Future<List<String>> second = null;
    ExecutorService side = null;
    if (rng.nextInt(10) == 0) {
      secondReaders.incrementAndGet();
      side = Executors.newVirtualThreadPerTaskExecutor();
      long wait = rng.nextInt(3000);
      second =
          side.submit(
              () -> {
                pause(wait);
                HttpResponse<InputStream> res =
                    open("GET", "/api/chat/" + runId + "/stream?startIndex=0", null, key);
                return readAll(res, 0, "second reader " + runId);
              });
    }
    int mode = rng.nextInt(10);
    List<String> full;
    if (mode < 7) {
      full = readAll(post, 0, "reader " + runId);
    } else {
      int expected = opt.words() + 10;
      int dropAfter = rng.nextInt(expected);
      List<String> seen = read(post, 0, dropAfter, "reader " + runId);
      drops.incrementAndGet();
      HttpResponse<InputStream> again;
      if (mode < 9) {
        reconnects.incrementAndGet();
        pause(rng.nextInt(1000));
        int from = seen.size();
        again =
            from == 0 || rng.nextBoolean()
                ? open("GET", "/api/chat/" + runId + "/stream?startIndex=" + from, null, key)
                : open(
                    "GET",
                    "/api/chat/" + runId + "/stream",
                    null,
                    key,
                    "Last-Event-ID",
                    Integer.toString(from - 1));
        full = new ArrayList<>(seen);
        full.addAll(readAll(again, from, "reconnect " + runId));
      } else {
        // why: a client that went away for good; its run must still finish. Come back once it
        // has (reading from 0 follows the live tail until then) and compare what was seen.
        pause(1000);
        again = open("GET", "/api/chat/" + runId + "/stream?startIndex=0", null, key);
        full = readAll(again, 0, "late replay " + runId);
        if (!full.subList(0, Math.min(seen.size(), full.size())).equals(seen)) {
          error("late replay of " + runId + " differs from what the dropped client saw");
        }
      }
    }
    if (second != null) {
      try {
        List<String> other = second.get(120, TimeUnit.SECONDS);
        if (!other.equals(full)) {
          error("second reader of " + runId + " saw other chunks than the first");
        }
      } catch (Exception e) {
        error("second reader of " + runId + ": " + e);
      } finally {
        side.shutdownNow();
      }
    }
    turns.incrementAndGet();
  }

  private List<String> readAll(HttpResponse<InputStream> res, int from, String who) {
    return read(res, from, Integer.MAX_VALUE, who);
  }

  /**
   * Reads events, checking that ids run from {@code from} without a gap; stops after {@code max}
   * chunks (closing the connection) or at [DONE], which must follow a {@code finish}.
   */
  private List<String> read(HttpResponse<InputStream> res, int from, int max, String who) {
    List<String> out = new ArrayList<>();
    if (res.statusCode() != 200) {
      error(who + " answered " + res.statusCode() + ": " + drain(res.body()));
      return out;
    }
    liveStreams.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
    InputStream stream = res.body();
    var bound =
        watchdog.schedule(
            () -> {
              cut.set(true);
              closeQuietly(stream);
            },
            STREAM_BOUND.toSeconds(),
            TimeUnit.SECONDS);
    try (InputStream body = stream) {
      SseEvents events = new SseEvents(body);
      String last = null;
      while (out.size() < max) {
        SseEvents.Event e = events.next();
        if (e == null) {
          error(who + " ended without [DONE] after " + out.size() + " chunks");
          return out;
        }
        if (e.isDone()) {
          if (last == null || !type(last).equals("finish")) {
            error(who + ": [DONE] not after finish");
          }
          return out;
        }
        int expectedId = from + out.size();
        if (e.id() == null || Integer.parseInt(e.id()) != expectedId) {
          error(who + ": id " + e.id() + " where " + expectedId + " was due, data " + e.data());
          return out;
        }
        out.add(e.data());
        chunks.incrementAndGet();
        last = e.data();
      }
      return out;
    } catch (IOException | UncheckedIOException e) {
      error(
          who
              + (cut.get()
                  ? ": did not end within " + STREAM_BOUND + " (" + out.size() + " chunks read)"
                  : ": " + e));
      return out;
    } finally {
      bound.cancel(false);
      liveStreams.decrementAndGet();
    }
  }

  private static String type(String chunk) {
    JsonNode node = Bodies.parse(chunk);
    return node.path("type").asText();
  }

  private HttpResponse<InputStream> open(
      String method, String path, String body, String key, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("x-api-key", key)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return s.length() > 300 ? s.substring(0, 300) : s;
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // why: nothing to do about a body we are discarding.
    }
  }

  private void error(String message) {
    errors.incrementAndGet();
    if (errorLog.size() < 50) {
      errorLog.add(message);
    }
    log("ERROR %s", message);
  }

  private static void pause(long millis) {
    try {
      // why: think time and reconnect delay of a simulated user, not synchronisation.
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- the report ----

  private record Metric(String name, String unit, Function<Sample, Double> value, double slack) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric("heap used after GC", "MiB", s -> s.r().heapUsedAfterGcKib() / 1024.0, 16),
          new Metric("RSS", "MiB", s -> s.r().rssKib() / 1024.0, 64),
          new Metric("live threads", "", s -> (double) s.r().threads(), 8),
          new Metric("open fds", "", s -> (double) s.r().fds(), 16),
          new Metric("TCP established", "", s -> (double) s.r().tcpEstablished(), 16),
          new Metric("TCP other states", "", s -> (double) s.r().tcpOther(), 16));

  /** Samples after the first fifth of the run (at most 5 minutes): the JIT and pools warm up. */
  private List<Sample> steady() {
    double warm = Math.min(5, opt.minutes() / 5);
    List<Sample> under = new ArrayList<>();
    for (Sample s : samples) {
      if (s.minute() >= warm) {
        under.add(s);
      }
    }
    return under.size() >= 2 ? under : samples;
  }

  /** Least-squares slope, per hour. */
  private static double slopePerHour(List<Sample> xs, Function<Sample, Double> f) {
    int n = xs.size();
    double mx = 0;
    double my = 0;
    for (Sample s : xs) {
      mx += s.minute();
      my += f.apply(s);
    }
    mx /= n;
    my /= n;
    double num = 0;
    double den = 0;
    for (Sample s : xs) {
      num += (s.minute() - mx) * (f.apply(s) - my);
      den += (s.minute() - mx) * (s.minute() - mx);
    }
    return den == 0 ? 0 : num / den * 60;
  }

  /**
   * Flat: over the steady window, the fitted growth stays under the metric's slack or 10% of its
   * mean, whichever is larger, for every metric.
   */
  private boolean flat(Metric m) {
    List<Sample> xs = steady();
    double span = xs.getLast().minute() - xs.getFirst().minute();
    double growth = slopePerHour(xs, m.value()) * span / 60;
    double mean = xs.stream().mapToDouble(s -> m.value().apply(s)).average().orElse(0);
    return growth <= Math.max(m.slack(), mean * 0.10);
  }

  private boolean verdictFlat(Sample idle) {
    return METRICS.stream().allMatch(this::flat);
  }

  private String report(Instant started, Instant ended, Sample idle) {
    StringBuilder md = new StringBuilder();
    Sample first = samples.getFirst();
    Sample last = samples.getLast();
    md.append("### Soak run ")
        .append(TIME.format(started))
        .append(" → ")
        .append(TIME.format(ended))
        .append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%.1f minutes of load, %d chats, %d-word prompts, offline model at %d ms per chunk,"
                + " seed %d, server `%s`. Turns: %d; chunks read and checked: %d; drops %d"
                + " (reconnected %d), second readers %d; 409 retries %d; **errors: %d**.%n%n",
            opt.minutes(),
            opt.chats(),
            opt.words(),
            opt.delayMs(),
            opt.seed(),
            opt.jvmFlags(),
            last.turns(),
            last.chunks(),
            drops.get(),
            reconnects.get(),
            secondReaders.get(),
            conflicts.get(),
            errors.get()));
    md.append(
        "| Metric | start | end of load | 15 s idle after | min | max | slope (steady) | flat |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    List<Sample> steady = steady();
    for (Metric m : METRICS) {
      double min = samples.stream().mapToDouble(s -> m.value().apply(s)).min().orElse(0);
      double max = samples.stream().mapToDouble(s -> m.value().apply(s)).max().orElse(0);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s%s | %.1f | %.1f | %.1f | %.1f | %.1f | %+.2f /h | %s |%n",
              m.name(),
              m.unit().isEmpty() ? "" : " (" + m.unit() + ")",
              m.value().apply(first),
              m.value().apply(last),
              m.value().apply(idle),
              min,
              max,
              slopePerHour(steady, m.value()),
              flat(m) ? "yes" : "**no**"));
    }
    md.append("\nSamples (every 5 minutes, and the last):\n\n");
    md.append(
        "| t (min) | heap after GC (MiB) | RSS (MiB) | threads | fds | TCP est. | turns | chunks"
            + " | errors |\n");
    md.append("|---|---|---|---|---|---|---|---|---|\n");
    double nextMark = 0;
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      boolean lastOne = i == samples.size() - 1;
      if (s.minute() + 1e-9 >= nextMark || lastOne) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %.1f | %.1f | %.1f | %d | %d | %d | %d | %d | %d |%n",
                s.minute(),
                s.r().heapUsedAfterGcKib() / 1024.0,
                s.r().rssKib() / 1024.0,
                s.r().threads(),
                s.r().fds(),
                s.r().tcpEstablished(),
                s.turns(),
                s.chunks(),
                s.errors()));
        while (nextMark <= s.minute() + 1e-9) {
          nextMark += 5;
        }
      }
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nVerdict: **%s**. Errors: %d.%n",
            verdictFlat(idle) ? "flat" : "NOT flat",
            errors.get()));
    if (!errorLog.isEmpty()) {
      md.append("\nFirst errors:\n\n");
      for (String e : errorLog) {
        md.append("- ").append(e).append('\n');
      }
    }
    return md.toString();
  }

  // ---- small things ----

  private static void log(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "%s %s%n",
        TIME.format(Instant.now()).substring(11, 19),
        String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
