package dev.reprise.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A crash campaign: trial after trial, a few chats stream with readers attached, and a reprise
 * process is SIGKILLed at a random moment (before the first chunk, mid-run, near the end; sometimes
 * again while the restart recovers, or a second node while the first one's runs are taken over).
 * After each kill the readers reconnect (through a survivor, or the restarted node) with {@code
 * Last-Event-ID} or {@code startIndex}, and the campaign checks that every chunk a reader saw
 * before the kill is replayed byte-equal, that every reader gets the rest up to {@code finish}
 * without a gap or a duplicate, and that every run is finalized (status no longer queued or
 * running, log ending with {@code finish}); it measures the time from the kill to the run's final
 * status.
 *
 * <p>{@link Mode#SINGLE}: one embedded (SQLite) node, killed and started again on its data dir.
 * {@link Mode#CLUSTER}: three nodes on PostgreSQL + Redis ({@link Cluster}); node A executes the
 * runs, and B and C take them over when A's lease runs out. {@code it/CrashCampaignTest} runs a few
 * trials; {@code scripts/crash-campaign} runs a hundred.
 */
public final class CrashCampaign {
  public enum Mode {
    SINGLE,
    CLUSTER
  }

  /**
   * {@code chats} streaming per trial; the offline model sends a chunk every {@code delayMs}; a
   * fifth of the three-node kills of A also kill B or C during the takeover.
   */
  public record Options(Mode mode, int trials, long seed, int chats, int delayMs) {
    public static Options of(Mode mode, int trials, long seed) {
      return new Options(mode, trials, seed, 3, 15);
    }
  }

  /** One trial: how the kill went and what the checks found. */
  public record Trial(
      int number,
      String kill,
      int runs,
      int chunksSeenBeforeKill,
      int chunksRead,
      int lost,
      List<Long> finalizeMillis,
      List<String> failures) {}

  public record Summary(Mode mode, long seed, List<Trial> trials, Duration took) {
    public int runs() {
      return trials.stream().mapToInt(Trial::runs).sum();
    }

    public long chunksSeenBeforeKill() {
      return trials.stream().mapToLong(Trial::chunksSeenBeforeKill).sum();
    }

    public long chunksRead() {
      return trials.stream().mapToLong(Trial::chunksRead).sum();
    }

    public long lost() {
      return trials.stream().mapToLong(Trial::lost).sum();
    }

    public List<String> failures() {
      List<String> all = new ArrayList<>();
      for (Trial t : trials) {
        for (String f : t.failures()) {
          all.add("trial " + t.number() + " (" + t.kill() + "): " + f);
        }
      }
      return all;
    }

    public List<Long> finalizeMillis() {
      List<Long> all = new ArrayList<>();
      trials.forEach(t -> all.addAll(t.finalizeMillis()));
      Collections.sort(all);
      return all;
    }

    /** Nearest-rank percentile of the finalize times, in ms; -1 when none. */
    public long finalizePercentile(double p) {
      List<Long> all = finalizeMillis();
      if (all.isEmpty()) {
        return -1;
      }
      int rank = (int) Math.ceil(p / 100.0 * all.size());
      return all.get(Math.max(0, Math.min(all.size() - 1, rank - 1)));
    }

    /** One Markdown table row: mode, trials, runs, chunks, lost, finalize times, seed, time. */
    public String row() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %d | %d | %d | %d | %d | %d / %d / %d | %d | %d | %.1f min |",
          mode == Mode.SINGLE ? "one node (SQLite)" : "three nodes (PostgreSQL + Redis)",
          trials.size(),
          runs(),
          finalizeMillis().size(),
          chunksSeenBeforeKill(),
          chunksRead(),
          lost(),
          finalizePercentile(50),
          finalizePercentile(95),
          finalizePercentile(100),
          failures().size(),
          seed,
          took.toMillis() / 60_000.0);
    }

    public static String header() {
      return "| Mode | Trials | Runs | Runs interrupted | Chunks seen before the kill, replayed"
          + " byte-equal | Chunks read in all | Lost | Kill → final status, median / p95 / max"
          + " (ms) | Failures | Seed | Took |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|";
    }
  }

  // why: what main's shutdown hook must stop when the campaign is interrupted (SIGTERM from
  // `timeout`, Ctrl-C): the nodes, and the cluster's schema and keys.
  private static final AtomicReference<AutoCloseable> ACTIVE = new AtomicReference<>();
  private static final Set<String> FINAL = Set.of("completed", "failed", "cancelled");
  private static final Duration READ_BOUND = Duration.ofSeconds(90);

  private final Options opt;
  private final Consumer<String> log;
  private final Random rng;
  // why: the readers' choices come from their own generator, so that the trials' plan (prompts,
  // kill moments, victims) replays from the seed whatever the threads interleave.
  private final Random pick;

  private CrashCampaign(Options opt, Consumer<String> log) {
    this.opt = opt;
    this.log = log;
    this.rng = new Random(opt.seed());
    this.pick = new Random(opt.seed() ^ 0x5DEECE66DL);
  }

  /** Runs the campaign; needs PostgreSQL and Redis for {@link Mode#CLUSTER} (else skips). */
  public static Summary run(Options opt, Consumer<String> log) throws Exception {
    CrashCampaign c = new CrashCampaign(opt, log);
    long start = System.nanoTime();
    List<Trial> trials = opt.mode() == Mode.SINGLE ? c.single() : c.cluster();
    return new Summary(opt.mode(), opt.seed(), trials, Duration.ofNanos(System.nanoTime() - start));
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("REPRISE_OFFLINE_DELAY_MS", Integer.toString(opt.delayMs()));
    env.put("REPRISE_LIMIT_LIVE_RUNS", "1000");
    env.put("REPRISE_LIMIT_RUNS_PER_MINUTE", "100000");
    env.put("REPRISE_LIMIT_STREAM_READERS", "1000");
    env.put("REPRISE_LOG_LEVEL", "WARN");
    return env;
  }

  // ---- one node ----

  private List<Trial> single() throws Exception {
    Path data = Files.createTempDirectory("crash-campaign");
    Map<String, String> env = env();
    AtomicReference<ServerProcess> server = new AtomicReference<>(ServerProcess.start(data, env));
    ACTIVE.set(
        () -> {
          server.get().kill();
          deleteTree(data);
        });
    try {
      String key = server.get().createKey("campaign");
      List<Trial> trials = new ArrayList<>();
      for (int n = 1; n <= opt.trials(); n++) {
        Supplier<List<ApiClient>> alive =
            () -> server.get().isAlive() ? List.of(server.get().client()) : List.of();
        TrialRun t = new TrialRun(n, key, alive);
        t.start(server.get().client(), () -> server.get().client());
        String moment = t.awaitKillMoment();
        t.markKill();
        server.get().kill();
        StringBuilder kill = new StringBuilder("kill " + moment);
        ServerProcess next = ServerProcess.launch(data, env);
        if (rng.nextInt(5) == 0) {
          long again = rng.nextInt(1500);
          pause(again);
          boolean ready = answers(next.client());
          next.kill();
          kill.append(", again ")
              .append(again)
              .append(" ms into the restart (")
              .append(ready ? "after" : "before")
              .append(" it answered)");
          next = ServerProcess.launch(data, env);
        }
        server.set(next);
        next.awaitHealthy();
        trials.add(t.finish(kill.toString(), () -> {}));
      }
      return trials;
    } finally {
      ACTIVE.set(null);
      server.get().close();
      deleteTree(data);
    }
  }

  // ---- three nodes ----

  private List<Trial> cluster() throws Exception {
    try (Cluster cluster = Cluster.start(3, TestRedis.url(), env())) {
      ACTIVE.set(
          () -> {
            for (int i = 0; i < cluster.size(); i++) {
              cluster.node(i).kill();
            }
            cluster.close();
          });
      String key = cluster.createKey("campaign");
      List<Trial> trials = new ArrayList<>();
      for (int n = 1; n <= opt.trials(); n++) {
        Supplier<List<ApiClient>> alive =
            () -> {
              List<ApiClient> up = new ArrayList<>();
              for (int i = 0; i < cluster.size(); i++) {
                if (cluster.node(i).isAlive()) {
                  up.add(cluster.client(i));
                }
              }
              return up;
            };
        TrialRun t = new TrialRun(n, key, alive);
        t.start(cluster.client(0), () -> cluster.client(1 + rng.nextInt(2)));
        long delay = t.planKill();
        // why: mostly the node executing the runs (A), sometimes one that only serves readers.
        int victim = rng.nextInt(10) < 7 ? 0 : 1 + rng.nextInt(2);
        boolean second = victim == 0 && rng.nextInt(5) == 0;
        int other = 1 + rng.nextInt(2);
        long secondAfter = rng.nextInt(3000);
        String moment = t.awaitKillMoment(delay);
        t.markKill();
        cluster.node(victim).kill();
        String kill = "kill node " + (char) ('a' + victim) + " " + moment;
        if (second) {
          pause(secondAfter);
          cluster.node(other).kill();
          kill +=
              ", then node "
                  + (char) ('a' + other)
                  + " "
                  + secondAfter
                  + " ms later, during the takeover";
        }
        // why: B and C take over runs that have chunks, but do not look for queued work; a run
        // that had none goes back to the queue and waits for A. Restart the dead nodes once the
        // others have had their chance.
        Trial trial =
            t.finish(
                kill,
                () -> {
                  try {
                    for (int i = 0; i < cluster.size(); i++) {
                      if (!cluster.node(i).isAlive()) {
                        cluster.restart(i);
                      }
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        trials.add(trial);
        for (int i = 0; i < cluster.size(); i++) {
          if (!cluster.node(i).isAlive()) {
            cluster.restart(i);
          }
        }
      }
      ACTIVE.set(null);
      return trials;
    }
  }

  // ---- a trial ----

  private final class TrialRun {
    final int number;
    final String key;
    final Supplier<List<ApiClient>> alive;
    final List<Chat> chats = new ArrayList<>();
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    long startNanos;
    long killNanos;
    String when = "";
    // why: a server that neither answers nor streams for 30 s is a failure, not a trial with no
    // runs in it (a CI run once ended with no run in any of its trials, and nothing said why).
    volatile boolean stalled;
    final java.util.concurrent.CountDownLatch firstAnswer =
        new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch firstChunk =
        new java.util.concurrent.CountDownLatch(1);

    TrialRun(int number, String key, Supplier<List<ApiClient>> alive) {
      this.number = number;
      this.key = key;
      this.alive = alive;
    }

    void start(ApiClient writer, Supplier<ApiClient> watcherNode) {
      startNanos = System.nanoTime();
      for (int i = 0; i < opt.chats(); i++) {
        int words = 10 + rng.nextInt(110);
        StringBuilder prompt = new StringBuilder();
        for (int w = 0; w < words; w++) {
          prompt.append(w == 0 ? "" : " ").append("word").append(w);
        }
        Chat chat = new Chat(UUID.randomUUID().toString(), prompt.toString(), words);
        chats.add(chat);
        Reader post = new Reader(chat, writer, true);
        chat.readers.add(post);
        pool.submit(post);
        if (rng.nextBoolean()) {
          Reader watcher = new Reader(chat, watcherNode.get(), false);
          chat.readers.add(watcher);
          long after = rng.nextInt(300);
          pool.submit(
              () -> {
                pause(after);
                watcher.run();
              });
        }
      }
    }

    /** Plans the kill and waits for its moment; says when it was. */
    String awaitKillMoment() {
      return awaitKillMoment(planKill());
    }

    /**
     * Waits {@code delay} ms: from the POSTs for an early kill, from the first POST's response
     * headers (the run exists, its first chunks may not) for a kill at the first answer, from the
     * first chunk a reader saw otherwise (so that "mid-run" is within the runs, however long the
     * first chunk takes).
     */
    String awaitKillMoment(long delay) {
      if (!when.equals("early")) {
        java.util.concurrent.CountDownLatch from =
            when.equals("at the first answer") ? firstAnswer : firstChunk;
        try {
          if (!from.await(30, TimeUnit.SECONDS)) {
            stalled = true;
            return delay + " ms after the POSTs (" + when + ", but nothing within 30 s)";
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      pause(delay);
      return delay
          + " ms after "
          + switch (when) {
            case "early" -> "the POSTs";
            case "at the first answer" -> "the first POST's response headers";
            default -> "the first chunk";
          }
          + " ("
          + when
          + ")";
    }

    /** A random moment within the trial's runs: very early, anywhere, or near the end. */
    long planKill() {
      long longest = 0;
      for (Chat c : chats) {
        longest = Math.max(longest, (long) (c.words + 12) * opt.delayMs());
      }
      int r = rng.nextInt(100);
      if (r < 10) {
        when = "early";
        return rng.nextInt(40);
      }
      if (r < 20) {
        when = "at the first answer";
        return rng.nextInt(4);
      }
      if (r < 35) {
        when = "near the end";
        return (long) (longest * (0.85 + rng.nextDouble() * 0.2));
      }
      when = "mid-run";
      return (long) (longest * rng.nextDouble());
    }

    void markKill() {
      killNanos = System.nanoTime();
      for (Chat c : chats) {
        for (Reader r : c.readers) {
          r.markKill();
        }
      }
    }

    /**
     * Waits for every run to reach a final status (running {@code beforeRestart} after 20 s
     * without), then for the readers, then checks.
     */
    Trial finish(String kill, Runnable restartDead) throws Exception {
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      if (stalled) {
        List<String> attempts = new ArrayList<>();
        for (Chat c : chats) {
          for (Reader r : c.readers) {
            attempts.add(r + " " + r.attempts);
          }
        }
        failures.add("nothing " + when + " within 30 s of the POSTs; " + attempts);
      }
      List<Long> finalize = Collections.synchronizedList(new ArrayList<>());
      List<java.util.concurrent.Future<?>> polls = new ArrayList<>();
      List<java.util.concurrent.Future<?>> withChunks = new ArrayList<>();
      for (Chat c : chats) {
        java.util.concurrent.Future<?> f = pool.submit(() -> awaitFinal(c, finalize, failures));
        polls.add(f);
        if (c.readers.stream().anyMatch(r -> r.seenAtKill > 0)) {
          withChunks.add(f);
        }
      }
      // why: runs that had written chunks must be finished by the survivors (lease takeover)
      // before any dead node comes back; runs killed before their first chunk went back to the
      // queue, which (in this test cluster) only node A serves, so they wait for its restart.
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      for (java.util.concurrent.Future<?> p : withChunks) {
        try {
          p.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          failures.add("a run with chunks was not finalized by the survivors within 20 s");
          break;
        }
      }
      restartDead.run();
      for (java.util.concurrent.Future<?> p : polls) {
        try {
          p.get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          failures.add("a run did not reach a final status within 110 s of the kill");
        }
      }
      pool.shutdown();
      if (!pool.awaitTermination(READ_BOUND.toSeconds(), TimeUnit.SECONDS)) {
        failures.add("readers still reading " + READ_BOUND.toSeconds() + " s after the end");
        pool.shutdownNow();
      }
      int seenBefore = 0;
      int read = 0;
      int lost = 0;
      int runs = 0;
      int notCreated = 0;
      for (Chat c : chats) {
        if (c.runId == null) {
          if (c.readers.stream().allMatch(r -> r.noRun)) {
            // why: the kill came before the POST was answered and no run came of it; then the
            // chat must not show one either.
            notCreated++;
            List<ApiClient> up = alive.get();
            HttpResponse<String> chat =
                up.getFirst().get("/api/chats/" + c.chatId, "x-api-key", key);
            if (chat.statusCode() == 200 && chat.body().contains("\"assistant\"")) {
              failures.add("chat " + c.chatId + " has an answer but its stream answered none");
            }
            continue;
          }
          failures.add("chat " + c.chatId + ": no run id, readers: " + c.readers);
          continue;
        }
        runs++;
        List<SseEvents.Event> replay = replay(c.runId, failures);
        List<String> full = new ArrayList<>();
        for (int i = 0; i < replay.size(); i++) {
          SseEvents.Event e = replay.get(i);
          if (e.id() == null || Integer.parseInt(e.id()) != i) {
            failures.add("replay of " + c.runId + ": id " + e.id() + " at position " + i);
            break;
          }
          full.add(e.data());
        }
        if (full.isEmpty()
            || !Bodies.parse(full.getLast()).path("type").asText().equals("finish")) {
          failures.add("replay of " + c.runId + " does not end with finish");
        }
        for (Reader r : c.readers) {
          if (!r.post && r.noRun) {
            continue; // why: a watcher that never attached (the kill came before the run id)
          }
          List<String> seen = r.seen();
          seenBefore += r.seenAtKill;
          read += seen.size();
          for (int i = 0; i < r.seenAtKill; i++) {
            if (i >= full.size() || !full.get(i).equals(seen.get(i))) {
              lost++;
            }
          }
          if (r.failure != null) {
            failures.add(r + ": " + r.failure);
          } else if (!r.done) {
            failures.add(r + ": did not reach the end");
          } else if (!seen.equals(full)) {
            failures.add(r + ": saw " + seen.size() + " chunks, the replay has " + full.size());
          }
        }
      }
      if (lost > 0) {
        failures.add(lost + " chunk(s) seen before the kill differ in the replay");
      }
      if (notCreated > 0) {
        kill += "; " + notCreated + " POST(s) cut before any run existed";
      }
      Trial t =
          new Trial(number, kill, runs, seenBefore, read, lost, List.copyOf(finalize), failures);
      log.accept(
          String.format(
              Locale.ROOT,
              "trial %3d: %-90s runs %d, chunks seen before the kill %4d, read %4d, lost %d,"
                  + " finalized in %s ms%s",
              number,
              kill,
              runs,
              seenBefore,
              read,
              lost,
              finalize,
              failures.isEmpty() ? "" : ", FAILURES: " + failures));
      return t;
    }

    private void awaitFinal(Chat c, List<Long> finalize, List<String> failures) {
      try {
        await("a run id or no run for chat " + c.chatId)
            .atMost(READ_BOUND)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> c.runId != null || c.readers.stream().allMatch(r -> r.noRun || r.done));
        if (c.runId == null) {
          return;
        }
        boolean endedBefore = c.readers.stream().anyMatch(r -> r.sawFinishBeforeKill);
        await("run " + c.runId + " of chat " + c.chatId + " to reach a final status")
            .atMost(READ_BOUND)
            .pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> FINAL.contains(status(c.runId)));
        if (!endedBefore) {
          finalize.add((System.nanoTime() - killNanos) / 1_000_000);
        }
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        failures.add(e.getMessage());
      }
    }

    private String status(String runId) {
      List<ApiClient> up = alive.get();
      ApiClient client = up.get(rng().nextInt(up.size()));
      HttpResponse<String> res = client.get("/api/chat/runs/" + runId, "x-api-key", key);
      return Bodies.parse(res.body()).path("status").asText();
    }

    /** The run's stream from 0; empty, with a failure, if it does not end within a bound. */
    private List<SseEvents.Event> replay(String runId, List<String> failures) throws Exception {
      List<ApiClient> up = alive.get();
      ApiClient client = up.get(rng().nextInt(up.size()));
      HttpResponse<String> res;
      try (ExecutorService replayer = Executors.newVirtualThreadPerTaskExecutor()) {
        var answer =
            replayer.submit(
                () -> client.get("/api/chat/" + runId + "/stream?startIndex=0", "x-api-key", key));
        try {
          res = answer.get(READ_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          failures.add("the replay of " + runId + " did not end within " + READ_BOUND);
          replayer.shutdownNow();
          return List.of();
        }
      }
      List<SseEvents.Event> events = new ArrayList<>();
      for (SseEvents.Event e : SseEvents.parse(res.body())) {
        if (!e.isDone()) {
          events.add(e);
        }
      }
      return events;
    }

    private final class Chat {
      final String chatId;
      final String prompt;
      final int words;
      final List<Reader> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
      volatile String runId;

      Chat(String chatId, String prompt, int words) {
        this.chatId = chatId;
        this.prompt = prompt;
        this.words = words;
      }
    }

    /**
     * A client reading one chat's run: the POST's response, or a watcher attached by run id. On a
     * broken connection it reconnects through a live node, with {@code Last-Event-ID} or {@code
     * startIndex}, until it has read {@code finish} and {@code [DONE]}.
     */
    private final class Reader implements Runnable {
      final Chat chat;
      final ApiClient home;
      final boolean post;
      final List<String> seen = new ArrayList<>();
      volatile int seenAtKill;
      volatile boolean sawFinishBeforeKill;
      volatile boolean done;
      volatile boolean noRun;
      volatile String failure;
      volatile boolean killed;
      boolean posted;

      /** What each connection got: a status, or why it failed (for a failure's message). */
      final List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();

      Reader(Chat chat, ApiClient home, boolean post) {
        this.chat = chat;
        this.home = home;
        this.post = post;
      }

      synchronized void markKill() {
        killed = true;
        seenAtKill = seen.size();
        sawFinishBeforeKill =
            !seen.isEmpty() && Bodies.parse(seen.getLast()).path("type").asText().equals("finish");
      }

      synchronized List<String> seen() {
        return List.copyOf(seen);
      }

      private synchronized int size() {
        return seen.size();
      }

      private synchronized void add(String data) {
        seen.add(data);
        firstChunk.countDown();
      }

      @Override
      public void run() {
        long bound = System.nanoTime() + READ_BOUND.toNanos();
        try {
          if (!post) {
            await()
                .atMost(READ_BOUND)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> chat.runId != null || chat.readers.getFirst().noRun || killed);
            if (chat.runId == null) {
              noRun = true; // why: the kill came before the POST answered; nothing to watch yet
              return;
            }
          }
          while (!done && System.nanoTime() < bound) {
            HttpResponse<InputStream> res;
            try {
              res = connect();
            } catch (UncheckedIOException e) {
              attempts.add(e.getCause().toString());
              awaitSomeNode();
              continue;
            }
            int status = res.statusCode();
            attempts.add(Integer.toString(status));
            if (status == 200) {
              res.headers().firstValue("x-workflow-run-id").ifPresent(this::runId);
              consume(res);
            } else {
              String body = drain(res.body());
              if ((status == 404 || status == 204) && chat.runId == null && size() == 0) {
                noRun = true;
                return;
              }
              if (status >= 500 || status == 429) {
                awaitSomeNode();
                continue;
              }
              failure = "answered " + status + ": " + body;
              return;
            }
          }
          if (!done) {
            failure = "not at the end within " + READ_BOUND;
          }
        } catch (RuntimeException e) {
          failure = e.toString();
        }
      }

      private void runId(String id) {
        firstAnswer.countDown();
        if (chat.runId == null) {
          chat.runId = id;
        } else if (!chat.runId.equals(id)) {
          failure = "stream of run " + id + " where " + chat.runId + " was expected";
        }
      }

      private HttpResponse<InputStream> connect() {
        if (post && !posted) {
          posted = true;
          return home.open(
              "POST", "/api/chat", Bodies.chatTurn(chat.chatId, chat.prompt), "x-api-key", key);
        }
        List<ApiClient> up = alive.get();
        if (up.isEmpty()) {
          throw new UncheckedIOException(new IOException("no node up"));
        }
        ApiClient node = up.contains(home) ? home : up.get(rng().nextInt(up.size()));
        int from = size();
        String runId = chat.runId;
        if (runId == null) {
          return node.open(
              "GET",
              "/api/chat/" + chat.chatId + "/stream?startIndex=" + from,
              null,
              "x-api-key",
              key);
        }
        if (from > 0 && rng().nextBoolean()) {
          return node.open(
              "GET",
              "/api/chat/" + runId + "/stream",
              null,
              "x-api-key",
              key,
              "Last-Event-ID",
              Integer.toString(from - 1));
        }
        return node.open(
            "GET", "/api/chat/" + runId + "/stream?startIndex=" + from, null, "x-api-key", key);
      }

      private void consume(HttpResponse<InputStream> res) {
        try (InputStream body = res.body()) {
          SseEvents events = new SseEvents(body);
          for (SseEvents.Event e = events.next(); e != null; e = events.next()) {
            if (e.isDone()) {
              List<String> s = seen();
              if (s.isEmpty()
                  || !Bodies.parse(s.getLast()).path("type").asText().equals("finish")) {
                failure = "[DONE] not after finish";
              }
              done = true;
              return;
            }
            int due = size();
            if (e.id() == null || Integer.parseInt(e.id()) != due) {
              failure = "id " + e.id() + " where " + due + " was due";
              done = true;
              return;
            }
            add(e.data());
          }
        } catch (IOException | UncheckedIOException e) {
          // why: the node went away mid-stream; the loop reconnects.
        }
      }

      private void awaitSomeNode() {
        await("a node to answer")
            .atMost(READ_BOUND)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> alive.get().stream().anyMatch(CrashCampaign::answers));
      }

      @Override
      public String toString() {
        return (post ? "POST reader" : "watcher") + " of chat " + chat.chatId;
      }
    }
  }

  private Random rng() {
    return pick;
  }

  static boolean answers(ApiClient client) {
    try {
      return client.get("/health").statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void pause(long millis) {
    try {
      // why: this is the random moment of the experiment (when to kill), not a wait for a state.
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * {@code --mode single|cluster|both --trials N --seed S [--out FILE]}: prints each trial and a
   * Markdown summary (also written to FILE); exits 1 on any failure.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String mode = a.getOrDefault("mode", "both");
    int trials = Integer.parseInt(a.getOrDefault("trials", "100"));
    long seed = Long.parseLong(a.getOrDefault("seed", Long.toString(System.nanoTime())));
    System.out.println("crash campaign: mode " + mode + ", " + trials + " trials, seed " + seed);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  AutoCloseable active = ACTIVE.getAndSet(null);
                  if (active != null) {
                    try {
                      active.close();
                    } catch (Exception e) {
                      System.err.println("crash campaign: cleaning up failed: " + e);
                    }
                  }
                }));
    List<Summary> summaries = new ArrayList<>();
    Consumer<String> out =
        line -> {
          System.out.println(line);
          System.out.flush();
        };
    for (Mode m : List.of(Mode.SINGLE, Mode.CLUSTER)) {
      if (mode.equals("both") || mode.equalsIgnoreCase(m.name())) {
        summaries.add(run(Options.of(m, trials, seed), out));
      }
    }
    StringBuilder md = new StringBuilder(Summary.header()).append('\n');
    for (Summary s : summaries) {
      md.append(s.row()).append('\n');
    }
    List<String> failures = new ArrayList<>();
    summaries.forEach(s -> failures.addAll(s.failures()));
    if (!failures.isEmpty()) {
      md.append("\nFailures:\n\n");
      failures.forEach(f -> md.append("- ").append(f).append('\n'));
    }
    System.out.println();
    System.out.println(md);
    if (a.containsKey("out")) {
      Files.writeString(Path.of(a.get("out")), md.toString());
    }
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
